package io.tracefold.axon;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A second test aggregate, for ids shared across aggregate types. */
@TracedAggregate
public class Invoice {

  /** Creates an invoice. */
  public record CreateInvoice(@TargetAggregateIdentifier String invoiceId) {}

  /** Adds a line. */
  public record AddLine(@TargetAggregateIdentifier String invoiceId) {}

  /** An invoice was created. */
  public record InvoiceCreated(String invoiceId) {}

  /** A line was added. */
  public record LineAdded(String invoiceId) {}

  @AggregateIdentifier private String invoiceId;
  private int lines;

  /** For Axon. */
  public Invoice() {}

  @CommandHandler
  public Invoice(CreateInvoice command) {
    apply(new InvoiceCreated(command.invoiceId()));
  }

  @CommandHandler
  public void handle(AddLine command) {
    apply(new LineAdded(invoiceId));
  }

  @EventSourcingHandler
  void on(InvoiceCreated event) {
    this.invoiceId = event.invoiceId();
  }

  @EventSourcingHandler
  void on(LineAdded event) {
    lines++;
  }

  public int getLines() {
    return lines;
  }
}
