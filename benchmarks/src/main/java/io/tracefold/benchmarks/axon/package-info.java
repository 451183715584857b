/**
 * End-to-end JMH benchmarks of Tracefold in a real Axon Framework 4 application: rehydration (with
 * and without a snapshot), the write path and a projection update, each against the same
 * application without Tracefold. Not API; run through {@code benchmarks/run.sh}.
 */
package io.tracefold.benchmarks.axon;
