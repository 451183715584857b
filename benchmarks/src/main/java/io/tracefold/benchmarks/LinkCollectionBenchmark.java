package io.tracefold.benchmarks;

import io.tracefold.core.LinkCollector;
import io.tracefold.core.internal.W3CTraceContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Measures per-event link collection: {@link LinkCollector#offer} of one event's metadata values,
 * as a reconstruction does for every event it reads. One invocation offers {@value #EVENTS} events,
 * and scores are per event ({@code @OperationsPerInvocation}), B/op included.
 *
 * <ul>
 *   <li>{@code collectDistinctReused}: {@value #EVENTS} distinct contexts into a collector reused
 *       through {@link LinkCollector#reset()} (its capacity already grown);
 *   <li>{@code collectDistinctFresh}: the same into a new collector per invocation, so B/op is the
 *       amortised footprint of one distinct context, growth included;
 *   <li>{@code collectRepeated}: {@value #EVENTS} events sharing {@value #CONTEXTS} contexts in
 *       consecutive runs (several events per command), into the reused collector; {@code
 *       collectRepeatedAA} is its copy, whose ratio to it is the noise floor;
 *   <li>{@code baseline}: the same loop reading the same metadata values into a Blackhole.
 * </ul>
 *
 * <p>The reused collector is grown to {@value #EVENTS} contexts in setup, as a per-thread collector
 * would be after one large reconstruction, so every {@code reset()} clears its full table.
 *
 * <p>Target: at most 25 ns/event; 0 B/op for repeated contexts and for a reused collector; a
 * bounded number of bytes per distinct context for a fresh one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 6, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@OperationsPerInvocation(LinkCollectionBenchmark.EVENTS)
public class LinkCollectionBenchmark {

  /** Events offered per invocation. */
  public static final int EVENTS = 1024;

  /** Distinct contexts among the events of {@code collectRepeated}. */
  public static final int CONTEXTS = 10;

  private Map<String, Object>[] distinctEvents;
  private Map<String, Object>[] repeatedEvents;
  private String[] eventTypes;
  private LinkCollector collector;

  /** Builds the events' metadata maps and warms the reused collector to its working capacity. */
  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    String[] distinct = Inputs.distinctTraceparents(EVENTS, 42);
    String[] shared = Inputs.distinctTraceparents(CONTEXTS, 7);
    distinctEvents = (Map<String, Object>[]) new Map<?, ?>[EVENTS];
    repeatedEvents = (Map<String, Object>[]) new Map<?, ?>[EVENTS];
    eventTypes = new String[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      distinctEvents[i] = Inputs.metadata(distinct[i], i);
      // Runs of consecutive events share the context of the command that produced them.
      repeatedEvents[i] = Inputs.metadata(shared[i * CONTEXTS / EVENTS], i);
      eventTypes[i] = Inputs.EVENT_TYPES[i % Inputs.EVENT_TYPES.length];
    }
    collector = new LinkCollector();
    offerAll(collector, distinctEvents);
    collector.reset();
  }

  /** Reads each event's {@code traceparent} and {@code tracestate} into the Blackhole. */
  @Benchmark
  public void baseline(Blackhole blackhole) {
    Map<String, Object>[] events = distinctEvents;
    String[] types = eventTypes;
    for (int i = 0; i < events.length; i++) {
      Map<String, Object> metadata = events[i];
      blackhole.consume(metadata.get(W3CTraceContext.TRACEPARENT));
      blackhole.consume(metadata.get(W3CTraceContext.TRACESTATE));
      blackhole.consume(types[i]);
    }
  }

  /** Returns the number of distinct contexts, collected by the reused collector. */
  @Benchmark
  public int collectDistinctReused() {
    LinkCollector reused = collector;
    reused.reset();
    offerAll(reused, distinctEvents);
    return reused.distinct();
  }

  /** Returns a new collector holding the distinct contexts. */
  @Benchmark
  public LinkCollector collectDistinctFresh() {
    LinkCollector fresh = new LinkCollector();
    offerAll(fresh, distinctEvents);
    return fresh;
  }

  /** Returns the number of distinct contexts among events sharing {@value #CONTEXTS} contexts. */
  @Benchmark
  public int collectRepeated() {
    LinkCollector reused = collector;
    reused.reset();
    offerAll(reused, repeatedEvents);
    return reused.distinct();
  }

  /** A copy of {@link #collectRepeated()}: the A/A pair whose ratio is the noise floor. */
  @Benchmark
  public int collectRepeatedAA() {
    LinkCollector reused = collector;
    reused.reset();
    offerAll(reused, repeatedEvents);
    return reused.distinct();
  }

  private void offerAll(LinkCollector target, Map<String, Object>[] events) {
    String[] types = eventTypes;
    for (int i = 0; i < events.length; i++) {
      Map<String, Object> metadata = events[i];
      target.offer(
          metadata.get(W3CTraceContext.TRACEPARENT),
          metadata.get(W3CTraceContext.TRACESTATE),
          i,
          types[i]);
    }
  }
}
