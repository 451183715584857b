/**
 * The runnable Tracefold example: an order-fulfilment application on Axon Framework 4 whose
 * rehydration and projection spans link to every event span that built the state, and the report
 * that answers "which commands built this state?" in the terminal and as an HTML graph.
 *
 * <p>Entry point: {@link io.tracefold.examples.FulfilmentExample}.
 */
@NullMarked
package io.tracefold.examples;

import org.jspecify.annotations.NullMarked;
