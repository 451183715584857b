package io.tracefold.axon;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;

/** Test projection: item counts per order, keyed by the payload's {@code orderId}. */
@TracedProjection(entityType = "OrderSummary", idProperty = "orderId")
@ProcessingGroup("summaries")
public class OrderSummaryProjection {

  final Map<String, Integer> items = new ConcurrentHashMap<>();
  volatile int handled;

  @EventHandler
  void on(Order.OrderPlaced event) {
    items.put(event.orderId(), 0);
    handled++;
  }

  @EventHandler
  void on(Order.ItemAdded event) {
    items.merge(event.orderId(), 1, Integer::sum);
    handled++;
  }

  @ResetHandler
  void reset() {
    items.clear();
    handled = 0;
  }
}
