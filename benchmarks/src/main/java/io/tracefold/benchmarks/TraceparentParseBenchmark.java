package io.tracefold.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.tracefold.core.internal.ParsedTraceparent;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures turning one event's {@code traceparent} metadata value into a trace context: Tracefold's
 * allocation-free {@link W3CTraceContext#parseTraceparent} into a reused {@link ParsedTraceparent}
 * against what a user would hand-write with OpenTelemetry ({@code W3CTraceContextPropagator}
 * extract from the metadata map, then {@code Span.fromContext(..).getSpanContext()}).
 *
 * <p>Each invocation reads the next of 1024 metadata maps, so with {@code inputs=distinct} the
 * branch predictor and caches cannot memorise one value; {@code inputs=repeated} holds the same map
 * in every slot (best case). All methods, including {@code baseline}, do the same map lookup.
 * {@code tracefoldParseAA} is a copy of {@code tracefoldParse}: its ratio to it is the noise floor.
 *
 * <p>Target: {@code tracefoldParse} at least 5x faster than {@code otelPropagator} (ratio at most
 * 0.2), and 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 6, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
public class TraceparentParseBenchmark {

  // A power of two, so the index wraps with a mask.
  private static final int INPUTS = 1024;

  /** {@code distinct}: 1024 different values; {@code repeated}: one value in every slot. */
  @Param({"distinct", "repeated"})
  public String inputs;

  private Map<String, Object>[] carriers;
  private int index;
  private ParsedTraceparent holder;

  /** Builds the metadata maps. */
  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    String[] values = Inputs.distinctTraceparents(INPUTS, 42);
    carriers = (Map<String, Object>[]) new Map<?, ?>[INPUTS];
    Map<String, Object> shared = Inputs.metadata(values[0], 0);
    for (int i = 0; i < INPUTS; i++) {
      carriers[i] = "repeated".equals(inputs) ? shared : Inputs.metadata(values[i], i);
    }
    holder = new ParsedTraceparent();
    index = 0;
  }

  private Map<String, Object> nextCarrier() {
    int i = index;
    index = (i + 1) & (INPUTS - 1);
    return carriers[i];
  }

  /** Returns the length of the value: the map lookup and index cycling every method pays. */
  @Benchmark
  public int baseline() {
    return ((String) nextCarrier().get(W3CTraceContext.TRACEPARENT)).length();
  }

  /** Returns the span context extracted the hand-written OpenTelemetry way. */
  @Benchmark
  public SpanContext otelPropagator() {
    Context context =
        W3CTraceContextPropagator.getInstance()
            .extract(Context.root(), nextCarrier(), Inputs.MapGetter.INSTANCE);
    return Span.fromContext(context).getSpanContext();
  }

  /** Returns a fold of every parsed field, so none of the parse can be eliminated. */
  @Benchmark
  public long tracefoldParse() {
    return parse();
  }

  /** A copy of {@link #tracefoldParse()}: the A/A pair whose ratio is the noise floor. */
  @Benchmark
  public long tracefoldParseAA() {
    return parse();
  }

  private long parse() {
    ParsedTraceparent parsed = holder;
    Object value = nextCarrier().get(W3CTraceContext.TRACEPARENT);
    if (!W3CTraceContext.parseTraceparent((String) value, parsed)) {
      return 0;
    }
    return parsed.spanId() ^ parsed.traceIdLow() ^ parsed.traceIdHigh() ^ parsed.flags();
  }
}
