package io.tracefold.examples.setup.shop;

import io.tracefold.axon.TracedProjection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * A read model: items per cart, kept by a tracking processor with two segments (see {@code
 * tracefold-shop.properties}). Every update is a span linked, through the entity's lineage, to every
 * event span that built the summary.
 */
@Component
@TracedProjection(entityType = "CartSummary", idProperty = "cartId")
@ProcessingGroup(CartSummaries.GROUP)
public class CartSummaries {

  /** The processing group, and so the tracking processor's name. */
  public static final String GROUP = "cart-summaries";

  private final Map<String, Integer> items = new ConcurrentHashMap<>();

  /** Creates the empty read model (Spring instantiates it). */
  public CartSummaries() {}

  @EventHandler
  void on(Cart.CartOpened event) {
    items.put(event.cartId(), 0);
  }

  @EventHandler
  void on(Cart.ItemAdded event) {
    items.merge(event.cartId(), 1, Integer::sum);
  }

  /**
   * Returns the items the read model counts for a cart, or -1 for a cart it has not seen.
   *
   * @param cartId the cart's id
   * @return the items, or -1
   */
  public int items(String cartId) {
    return items.getOrDefault(cartId, -1);
  }
}
