package io.tracefold.benchmarks.axon;

import io.tracefold.axon.TracedProjection;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/** The traced projection: {@link PlainOrderSummaryProjection}'s handlers, keyed by {@code orderId}. */
@TracedProjection(entityType = "OrderSummary", idProperty = "orderId")
@ProcessingGroup(PlainOrderSummaryProjection.GROUP)
public class TracedOrderSummaryProjection {

  final OrderSummaries summaries = new OrderSummaries();

  @EventHandler
  void on(Order.OrderPlaced event) {
    summaries.placed(event);
  }

  @EventHandler
  void on(Order.ItemAdded event) {
    summaries.itemAdded(event);
  }
}
