/**
 * Provenance you can ask for: which commands built an aggregate's current state, read from the
 * event store (each event keeps its {@code traceparent} as long as it exists, long after the
 * tracing backend expired the trace), and what a {@code @TracedProjection} entity's lineage store
 * knows, with deep links into the trace UI.
 *
 * <p>Entry point: {@link io.tracefold.axon.provenance.Provenance}; deep links:
 * {@link io.tracefold.axon.provenance.TraceLinks}; answers are immutable records
 * ({@link io.tracefold.axon.provenance.AggregateProvenance},
 * {@link io.tracefold.axon.provenance.EntityProvenance}); refused questions throw
 * {@link io.tracefold.axon.provenance.ProvenanceException}.
 */
@NullMarked
package io.tracefold.axon.provenance;

import org.jspecify.annotations.NullMarked;
