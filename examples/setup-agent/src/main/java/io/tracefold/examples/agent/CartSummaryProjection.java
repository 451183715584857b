package io.tracefold.examples.agent;

import io.tracefold.axon.TracedProjection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * The read model: items per cart, on a tracking processor (Axon's default). Each update is a
 * {@code Projection.update(CartSummary)} span linked to every event that built the entity.
 */
@Component
@TracedProjection(entityType = "CartSummary", idProperty = "cartId")
@ProcessingGroup(CartSummaryProjection.GROUP)
public class CartSummaryProjection {

  static final String GROUP = "cart-summaries";

  private final Map<String, Integer> items = new ConcurrentHashMap<>();

  @EventHandler
  void on(Cart.CartOpened event) {
    items.put(event.cartId(), 0);
  }

  @EventHandler
  void on(Cart.ItemAdded event) {
    items.merge(event.cartId(), 1, Integer::sum);
  }

  /** Returns the number of items of the cart, or -1 for a cart not seen yet. */
  int items(String cartId) {
    return items.getOrDefault(cartId, -1);
  }
}
