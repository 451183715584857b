/**
 * The example's domain: the {@link io.tracefold.examples.fulfilment.CustomerOrder} and
 * {@link io.tracefold.examples.fulfilment.StockItem} aggregates (both
 * {@link io.tracefold.axon.TracedAggregate}) and the
 * {@link io.tracefold.examples.fulfilment.StockLevelProjection} read model (a
 * {@link io.tracefold.axon.TracedProjection}).
 */
@NullMarked
package io.tracefold.examples.fulfilment;

import org.jspecify.annotations.NullMarked;
