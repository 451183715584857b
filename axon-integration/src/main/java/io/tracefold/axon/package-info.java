/**
 * Tracefold for Axon Framework 4: trace context in events, linked rehydration and snapshot
 * provenance.
 *
 * <p>Entry point: {@link io.tracefold.axon.AxonTracefold}, an Axon {@code ConfigurerModule};
 * aggregates opt in with {@link io.tracefold.axon.TracedAggregate}.
 */
@NullMarked
package io.tracefold.axon;

import org.jspecify.annotations.NullMarked;
