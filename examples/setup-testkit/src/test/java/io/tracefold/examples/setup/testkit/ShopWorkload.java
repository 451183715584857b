package io.tracefold.examples.setup.testkit;

import io.tracefold.examples.setup.shop.Cart;
import java.util.List;

/**
 * The workload every set-up runs: one cart built by {@value #BIG_COMMANDS} commands of one event
 * each (so its history crosses the 128-link budget and the lineage forest is used), a few small
 * carts, every command in a trace of its own; then each cart is loaded once.
 */
public final class ShopWorkload {

  /** The cart with a long history. */
  public static final String BIG = "cart-big";

  /** Commands that add one item each to {@link #BIG}. */
  public static final int BIG_COMMANDS = 200;

  /** The small carts: opened, then two commands of two items each. */
  public static final List<String> SMALL = List.of("cart-1", "cart-2", "cart-3");

  private ShopWorkload() {}

  /** Returns the cart ids. */
  public static List<String> carts() {
    return List.of(BIG, SMALL.get(0), SMALL.get(1), SMALL.get(2));
  }

  /** Returns the items a cart holds after {@link #run}. */
  public static int items(String cartId) {
    return BIG.equals(cartId) ? BIG_COMMANDS : 4;
  }

  /** Returns the rehydrations {@link #run} makes of a cart: one per command on it, and its load. */
  public static int rehydrations(String cartId) {
    return BIG.equals(cartId) ? BIG_COMMANDS + 1 : 3;
  }

  /**
   * Sends every command, waits for the read model to catch up, loads every cart once and checks the
   * loaded state: tracing never changes what the application does.
   */
  public static void run(ShopClient client) {
    for (String cart : carts()) {
      client.send(new Cart.OpenCart(cart));
    }
    for (int i = 0; i < BIG_COMMANDS; i++) {
      client.send(new Cart.AddItems(BIG, 1));
      if (i % 50 == 0 && i / 50 < 2) {
        for (String cart : SMALL) {
          client.send(new Cart.AddItems(cart, 2));
        }
      }
    }
    for (String cart : carts()) {
      client.awaitReadModel(cart, items(cart));
      int loaded = client.load(cart);
      if (loaded != items(cart)) {
        throw new AssertionError(cart + " loaded with " + loaded + " items, expected " + items(cart));
      }
    }
  }
}
