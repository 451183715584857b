/**
 * JMH benchmarks of Tracefold's hot paths. Not API; run through {@code benchmarks/run.sh}, which
 * writes {@code benchmarks/RESULTS.md}.
 */
package io.tracefold.benchmarks;
