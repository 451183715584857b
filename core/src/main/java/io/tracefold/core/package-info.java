/**
 * Tracefold core: the framework-agnostic provenance engine.
 *
 * <p>Entry point: {@link io.tracefold.core.Tracefold}. It turns the W3C trace contexts stored in
 * events into OpenTelemetry span links on the span of a state reconstruction, losslessly at any
 * number of contributing events (through lineage spans), and remembers already-covered history
 * as a compact {@link io.tracefold.core.Lineage} checkpoint so that repeated reconstructions stay
 * cheap for the tracing backend.
 */
@NullMarked
package io.tracefold.core;

import org.jspecify.annotations.NullMarked;
