package io.tracefold.benchmarks.axon;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * The projection without Tracefold: the same handlers as {@link TracedOrderSummaryProjection}, no
 * {@code @TracedProjection}. (A subclass cannot share the handlers: Tracefold looks for the
 * annotation on the class that declares each handler.)
 */
@ProcessingGroup(PlainOrderSummaryProjection.GROUP)
public class PlainOrderSummaryProjection {

  static final String GROUP = "order-summaries";

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
