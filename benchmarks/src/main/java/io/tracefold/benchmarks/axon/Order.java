package io.tracefold.benchmarks.axon;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tracefold.axon.TracedAggregate;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The benchmarks' aggregate: an order that counts its items. Its event handlers do constant work
 * and grow nothing, so replaying events onto one reused instance (a snapshot the in-memory store
 * hands to every load) costs the same every time. The annotation only matters where Tracefold is
 * configured; the plain and naive applications use the same class.
 */
@TracedAggregate
public class Order {

  /** Creates an order and adds {@code items} items: {@code 1 + items} events. */
  public record CreateOrder(@TargetAggregateIdentifier String orderId, int items) {}

  /** An order was placed. */
  public record OrderPlaced(String orderId) {}

  /** An item was added. */
  public record ItemAdded(String orderId, int itemNumber) {}

  @AggregateIdentifier private String orderId;
  private int items;
  private long checksum;

  /** For Axon. */
  public Order() {}

  @CommandHandler
  public Order(CreateOrder command) {
    apply(new OrderPlaced(command.orderId()));
    for (int i = 1; i <= command.items(); i++) {
      apply(new ItemAdded(command.orderId(), i));
    }
  }

  @EventSourcingHandler
  void on(OrderPlaced event) {
    orderId = event.orderId();
  }

  @EventSourcingHandler
  void on(ItemAdded event) {
    items++;
    checksum = checksum * 31 + event.itemNumber();
  }

  /** Returns a fold of the state, so a load's result depends on every event. */
  long checksum() {
    return checksum + items;
  }
}
