package io.tracefold.axon.spring;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tracefold.axon.TracedAggregate;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** Test aggregate of a Spring Boot application: found by Axon through {@code @Aggregate}. */
@Aggregate(snapshotTriggerDefinition = ShopOrder.SNAPSHOT_TRIGGER)
@TracedAggregate
public class ShopOrder {

  /** Bean name of the snapshot trigger; without such a bean the tests run without snapshots. */
  static final String SNAPSHOT_TRIGGER = "shopOrderSnapshotTrigger";

  /** Opens an order. */
  public record OpenOrder(@TargetAggregateIdentifier String orderId) {}

  /** Adds {@code count} items, one event each. */
  public record AddItems(@TargetAggregateIdentifier String orderId, int count) {}

  /** An order was opened. */
  public record OrderOpened(String orderId) {}

  /** An item was added. */
  public record ItemAdded(String orderId, int itemNumber) {}

  @AggregateIdentifier private String orderId;
  private int items;

  /** For Axon. */
  public ShopOrder() {}

  @CommandHandler
  public ShopOrder(OpenOrder command) {
    apply(new OrderOpened(command.orderId()));
  }

  @CommandHandler
  public void handle(AddItems command) {
    int base = items;
    for (int i = 0; i < command.count(); i++) {
      apply(new ItemAdded(orderId, base + i + 1));
    }
  }

  @EventSourcingHandler
  void on(OrderOpened event) {
    this.orderId = event.orderId();
  }

  @EventSourcingHandler
  void on(ItemAdded event) {
    items++;
  }

  public int getItems() {
    return items;
  }
}
