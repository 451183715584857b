package io.tracefold.axon;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Test aggregate: an order that gathers items; each command applies one or more events. */
@TracedAggregate
public class Order {

  /** Creates an order. */
  public record PlaceOrder(@TargetAggregateIdentifier String orderId) {}

  /** Adds {@code count} items, one event each. */
  public record AddItems(@TargetAggregateIdentifier String orderId, int count) {}

  /** Adds an item no handler of the aggregate looks at. */
  public record Annotate(@TargetAggregateIdentifier String orderId, String note) {}

  /** An order was placed. */
  public record OrderPlaced(String orderId) {}

  /** An item was added. */
  public record ItemAdded(String orderId, int itemNumber) {}

  /** A note was attached; the aggregate has no handler for it. */
  public record NoteAttached(String orderId, String note) {}

  @AggregateIdentifier private String orderId;
  private int items;
  private long checksum;

  /** For Axon and Jackson. */
  public Order() {}

  @CommandHandler
  public Order(PlaceOrder command) {
    apply(new OrderPlaced(command.orderId()));
  }

  @CommandHandler
  public void handle(AddItems command) {
    int base = items;
    for (int i = 0; i < command.count(); i++) {
      apply(new ItemAdded(orderId, base + i + 1));
    }
  }

  @CommandHandler
  public void handle(Annotate command) {
    apply(new NoteAttached(orderId, command.note()));
  }

  @EventSourcingHandler
  void on(OrderPlaced event) {
    this.orderId = event.orderId();
  }

  @EventSourcingHandler
  void on(ItemAdded event) {
    items++;
    checksum = checksum * 31 + event.itemNumber();
  }

  public String getOrderId() {
    return orderId;
  }

  public int getItems() {
    return items;
  }

  public long getChecksum() {
    return checksum;
  }
}
