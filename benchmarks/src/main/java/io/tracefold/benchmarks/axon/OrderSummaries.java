package io.tracefold.benchmarks.axon;

import java.util.HashMap;
import java.util.Map;

/**
 * The read model both projection classes update: items and a checksum per order. Constant work per
 * event and one entry per order, so repeated updates of one order do not grow it.
 */
final class OrderSummaries {

  private final Map<String, long[]> byOrder = new HashMap<>();

  void placed(Order.OrderPlaced event) {
    byOrder.put(event.orderId(), new long[2]);
  }

  void itemAdded(Order.ItemAdded event) {
    long[] summary = byOrder.computeIfAbsent(event.orderId(), id -> new long[2]);
    summary[0]++;
    summary[1] = summary[1] * 31 + event.itemNumber();
  }

  /** Returns the item count of an order (0 if unknown). */
  long items(String orderId) {
    long[] summary = byOrder.get(orderId);
    return summary == null ? 0 : summary[0];
  }
}
