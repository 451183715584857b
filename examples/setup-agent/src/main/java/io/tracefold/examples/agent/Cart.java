package io.tracefold.examples.agent;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tracefold.axon.TracedAggregate;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** A shopping cart: every command on an existing cart rehydrates it from all its events. */
@Aggregate
@TracedAggregate
public class Cart {

  /** Opens a cart. */
  public record OpenCart(@TargetAggregateIdentifier String cartId) {}

  /** Adds one item. */
  public record AddItem(@TargetAggregateIdentifier String cartId, String sku) {}

  /** A cart was opened. */
  public record CartOpened(String cartId) {}

  /** An item was added. */
  public record ItemAdded(String cartId, String sku) {}

  @AggregateIdentifier private String cartId;
  private int items;

  /** For Axon. */
  public Cart() {}

  /** Opens the cart. */
  @CommandHandler
  public Cart(OpenCart command) {
    apply(new CartOpened(command.cartId()));
  }

  /** Adds the item. */
  @CommandHandler
  public void handle(AddItem command) {
    apply(new ItemAdded(cartId, command.sku()));
  }

  @EventSourcingHandler
  void on(CartOpened event) {
    this.cartId = event.cartId();
  }

  @EventSourcingHandler
  void on(ItemAdded event) {
    items++;
  }

  /** Returns the number of items in the cart. */
  public int getItems() {
    return items;
  }
}
