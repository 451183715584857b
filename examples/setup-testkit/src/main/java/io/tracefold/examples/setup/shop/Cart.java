package io.tracefold.examples.setup.shop;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tracefold.axon.TracedAggregate;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A shopping cart, event-sourced: every rehydration links the spans of the commands that built it.
 * Axon's Spring support names its repository bean {@value #REPOSITORY}.
 */
@Aggregate
@TracedAggregate
public class Cart {

  /** Bean name of the cart repository Axon creates. */
  public static final String REPOSITORY = "cartRepository";

  /**
   * Opens a cart.
   *
   * @param cartId the cart's id
   */
  public record OpenCart(@TargetAggregateIdentifier String cartId) {}

  /**
   * Adds {@code count} items, one {@link ItemAdded} event each.
   *
   * @param cartId the cart's id
   * @param count how many items
   */
  public record AddItems(@TargetAggregateIdentifier String cartId, int count) {}

  /**
   * A cart was opened.
   *
   * @param cartId the cart's id
   */
  public record CartOpened(String cartId) {}

  /**
   * An item was added.
   *
   * @param cartId the cart's id
   * @param itemNumber the item's number in the cart, from 1
   */
  public record ItemAdded(String cartId, int itemNumber) {}

  @AggregateIdentifier private String cartId;
  private int items;

  /** For Axon. */
  public Cart() {}

  /**
   * Opens the cart.
   *
   * @param command the command
   */
  @CommandHandler
  public Cart(OpenCart command) {
    apply(new CartOpened(command.cartId()));
  }

  /**
   * Adds the items.
   *
   * @param command the command
   */
  @CommandHandler
  public void handle(AddItems command) {
    int base = items;
    for (int i = 1; i <= command.count(); i++) {
      apply(new ItemAdded(cartId, base + i));
    }
  }

  @EventSourcingHandler
  void on(CartOpened event) {
    this.cartId = event.cartId();
  }

  @EventSourcingHandler
  void on(ItemAdded event) {
    items = event.itemNumber();
  }

  /**
   * Returns the number of items in the cart.
   *
   * @return the items
   */
  public int getItems() {
    return items;
  }
}
