package io.tracefold.axon.spring;

import io.tracefold.axon.TracedProjection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/** Test projection of a Spring Boot application: items per order, a subscribing processor. */
@TracedProjection(entityType = "ShopOrderSummary", idProperty = "orderId")
@ProcessingGroup(ShopOrderSummary.GROUP)
public class ShopOrderSummary {

  static final String GROUP = "shop-summaries";

  final Map<String, Integer> items = new ConcurrentHashMap<>();

  @EventHandler
  void on(ShopOrder.OrderOpened event) {
    items.put(event.orderId(), 0);
  }

  @EventHandler
  void on(ShopOrder.ItemAdded event) {
    items.merge(event.orderId(), 1, Integer::sum);
  }
}
