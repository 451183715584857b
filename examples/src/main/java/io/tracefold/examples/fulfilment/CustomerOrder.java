package io.tracefold.examples.fulfilment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tracefold.axon.TracedAggregate;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A customer's order: placed, filled line by line, then confirmed or cancelled. */
@TracedAggregate
public class CustomerOrder {

  /** Places a new order for {@code customer}. */
  public record PlaceOrder(@TargetAggregateIdentifier String orderId, String customer) {}

  /** Adds a line of {@code quantity} units of {@code sku}. */
  public record AddLine(@TargetAggregateIdentifier String orderId, String sku, int quantity) {}

  /** Confirms the order (its stock is reserved). */
  public record ConfirmOrder(@TargetAggregateIdentifier String orderId) {}

  /** Cancels the order. */
  public record CancelOrder(@TargetAggregateIdentifier String orderId, String reason) {}

  /** An order was placed. */
  public record OrderPlaced(String orderId, String customer) {}

  /** A line was added. */
  public record OrderLineAdded(String orderId, int lineNumber, String sku, int quantity) {}

  /** The order was confirmed with {@code lines} lines. */
  public record OrderConfirmed(String orderId, int lines) {}

  /** The order was cancelled. */
  public record OrderCancelled(String orderId, String reason) {}

  /** Where an order is in its life. */
  public enum Status {
    /** Placed, lines may be added. */
    OPEN,
    /** Confirmed: stock is reserved. */
    CONFIRMED,
    /** Cancelled. */
    CANCELLED
  }

  @AggregateIdentifier private String orderId;
  private String customer;
  private int lines;
  private Status status;

  /** For Axon and Jackson. */
  public CustomerOrder() {}

  /** Handles {@link PlaceOrder}. */
  @CommandHandler
  public CustomerOrder(PlaceOrder command) {
    apply(new OrderPlaced(command.orderId(), command.customer()));
  }

  @CommandHandler
  void handle(AddLine command) {
    requireOpen();
    apply(new OrderLineAdded(orderId, lines + 1, command.sku(), command.quantity()));
  }

  @CommandHandler
  void handle(ConfirmOrder command) {
    requireOpen();
    apply(new OrderConfirmed(orderId, lines));
  }

  @CommandHandler
  void handle(CancelOrder command) {
    requireOpen();
    apply(new OrderCancelled(orderId, command.reason()));
  }

  private void requireOpen() {
    if (status != Status.OPEN) {
      throw new IllegalStateException("order " + orderId + " is " + status);
    }
  }

  @EventSourcingHandler
  void on(OrderPlaced event) {
    this.orderId = event.orderId();
    this.customer = event.customer();
    this.status = Status.OPEN;
  }

  @EventSourcingHandler
  void on(OrderLineAdded event) {
    lines = event.lineNumber();
  }

  @EventSourcingHandler
  void on(OrderConfirmed event) {
    status = Status.CONFIRMED;
  }

  @EventSourcingHandler
  void on(OrderCancelled event) {
    status = Status.CANCELLED;
  }

  /** Returns the order id. */
  public String getOrderId() {
    return orderId;
  }

  /** Returns the customer. */
  public String getCustomer() {
    return customer;
  }

  /** Returns the number of lines. */
  public int getLines() {
    return lines;
  }

  /** Returns the status. */
  public Status getStatus() {
    return status;
  }
}
