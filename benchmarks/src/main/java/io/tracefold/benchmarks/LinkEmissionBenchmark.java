package io.tracefold.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracefold.core.Lineage;
import io.tracefold.core.LinkCollector;
import io.tracefold.core.Tracefold;
import io.tracefold.core.internal.W3CTraceContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures linking one reconstruction span to {@code n} contributing events on a real SDK span
 * (always-on sampler, {@code SimpleSpanProcessor} of an exporter that drops, so every ended span
 * pays {@code toSpanData()} but no I/O). Per invocation, one whole reconstruction:
 *
 * <ul>
 *   <li>{@code tracefold}: start the span, reset a reused {@link LinkCollector}, offer the n
 *       events' metadata, {@link Tracefold#link} with an empty checkpoint, end the span. Above the
 *       budget of 128 this emits lineage spans, so every contributor stays reachable. {@code
 *       tracefoldAA} is its copy, whose ratio to it is the noise floor;
 *   <li>{@code tracefoldLinkOnly}: {@code link} alone, from a collector filled in setup;
 *   <li>{@code naive}: what a user would hand-write: per event, {@code W3CTraceContextPropagator}
 *       extract from the metadata map and {@code span.addLink(ctx)} without attributes. At n = 1000
 *       the SDK's default limit keeps 128 of the links and drops the rest: it does less work and
 *       loses provenance;
 *   <li>{@code baseline}: start and end the span only (independent of n).
 * </ul>
 *
 * <p>Tracefold adds three attributes per event link and, above the budget, lineage spans; the
 * naive version does neither. Target: none set; the report gives the ratio to {@code naive} per n,
 * which at n = 1000 is the price of losing no contributor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(value = 6, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
public class LinkEmissionBenchmark {

  private SdkTracerProvider tracerProvider;
  private Tracer tracer;
  private Tracefold tracefold;

  /** The contributing events of one reconstruction; a separate state so baseline runs once. */
  @State(Scope.Thread)
  public static class Contributors {

    /** Number of distinct contributing events. */
    @Param({"10", "128", "1000"})
    public int n;

    private Map<String, Object>[] events;
    private String[] eventTypes;
    private LinkCollector collector;
    private LinkCollector collected;

    /** Builds the events' metadata and a collector already holding them. */
    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
      String[] traceparents = Inputs.distinctTraceparents(n, 42);
      events = (Map<String, Object>[]) new Map<?, ?>[n];
      eventTypes = new String[n];
      for (int i = 0; i < n; i++) {
        events[i] = Inputs.metadata(traceparents[i], i);
        eventTypes[i] = Inputs.EVENT_TYPES[i % Inputs.EVENT_TYPES.length];
      }
      collector = new LinkCollector();
      collected = new LinkCollector();
      offerAll(collected);
    }

    void offerAll(LinkCollector target) {
      Map<String, Object>[] all = events;
      String[] types = eventTypes;
      for (int i = 0; i < all.length; i++) {
        Map<String, Object> metadata = all[i];
        target.offer(
            metadata.get(W3CTraceContext.TRACEPARENT),
            metadata.get(W3CTraceContext.TRACESTATE),
            i,
            types[i]);
      }
    }
  }

  /** Builds the SDK and Tracefold. */
  @Setup
  public void setUp() {
    tracerProvider =
        SdkTracerProvider.builder()
            .setSampler(Sampler.alwaysOn())
            .addSpanProcessor(SimpleSpanProcessor.create(Inputs.DiscardingExporter.INSTANCE))
            .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
    tracer = sdk.getTracer("io.tracefold.benchmarks");
    tracefold = Tracefold.create(sdk);
  }

  /** Shuts the SDK down. */
  @TearDown
  public void tearDown() {
    tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
  }

  /** Returns a span that was started and ended: the fixed cost of a reconstruction span. */
  @Benchmark
  public Span baseline() {
    Span span = tracer.spanBuilder("reconstruct").startSpan();
    span.end();
    return span;
  }

  /** Returns the span, linked by hand: propagator extract and {@code addLink} per event. */
  @Benchmark
  public Span naive(Contributors contributors) {
    Span span = tracer.spanBuilder("reconstruct").startSpan();
    Map<String, Object>[] events = contributors.events;
    for (int i = 0; i < events.length; i++) {
      Context extracted =
          W3CTraceContextPropagator.getInstance()
              .extract(Context.root(), events[i], Inputs.MapGetter.INSTANCE);
      SpanContext linked = Span.fromContext(extracted).getSpanContext();
      if (linked.isValid()) {
        span.addLink(linked);
      }
    }
    span.end();
    return span;
  }

  /** Returns the checkpoint of a reconstruction collected and linked by Tracefold. */
  @Benchmark
  public Lineage tracefold(Contributors contributors) {
    return collectAndLink(contributors);
  }

  /** A copy of {@link #tracefold(Contributors)}: the A/A pair whose ratio is the noise floor. */
  @Benchmark
  public Lineage tracefoldAA(Contributors contributors) {
    return collectAndLink(contributors);
  }

  /** Returns the checkpoint of linking a collector filled in setup: emission without collection. */
  @Benchmark
  public Lineage tracefoldLinkOnly(Contributors contributors) {
    Span span = tracer.spanBuilder("reconstruct").startSpan();
    Lineage lineage = tracefold.link(span, contributors.collected, Lineage.empty());
    span.end();
    return lineage;
  }

  private Lineage collectAndLink(Contributors contributors) {
    Span span = tracer.spanBuilder("reconstruct").startSpan();
    LinkCollector collector = contributors.collector;
    collector.reset();
    contributors.offerAll(collector);
    Lineage lineage = tracefold.link(span, collector, Lineage.empty());
    span.end();
    return lineage;
  }
}
