package io.tracefold.benchmarks;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tracefold.core.internal.W3CTraceContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Precomputed inputs shared by the benchmarks (also those of {@code io.tracefold.benchmarks.axon});
 * used in {@code @Setup} only, never measured.
 */
public final class Inputs {

  /** Payload types cycled over the events, as an event store would report them. */
  static final String[] EVENT_TYPES = {
    "com.example.order.OrderPlaced",
    "com.example.order.OrderLineAdded",
    "com.example.order.OrderLineRemoved",
    "com.example.order.OrderConfirmed",
  };

  private Inputs() {}

  /**
   * Returns {@code count} distinct, valid, sampled version-00 {@code traceparent} values drawn from
   * a fixed seed, so every fork measures the same inputs.
   */
  public static String[] distinctTraceparents(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] values = new String[count];
    for (int i = 0; i < count; i++) {
      long hi = random.nextLong();
      long lo = random.nextLong() | 1; // never all-zero
      long span = random.nextLong() | 1;
      values[i] = "00-" + TraceId.fromLongs(hi, lo) + "-" + SpanId.fromLong(span) + "-01";
    }
    return values;
  }

  /**
   * Returns the metadata map of one stored event: its {@code traceparent} (a fresh copy, as a
   * deserialised event would hold) next to an unrelated entry, and no {@code tracestate}.
   */
  static Map<String, Object> metadata(String traceparent, int sequence) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put(W3CTraceContext.TRACEPARENT, new String(traceparent.toCharArray()));
    metadata.put("correlationId", "command-" + sequence);
    return metadata;
  }

  /** Reads a metadata map as a propagation carrier, the way a user would hand-write it. */
  enum MapGetter implements TextMapGetter<Map<String, ?>> {
    INSTANCE;

    @Override
    public String get(Map<String, ?> carrier, String key) {
      if (carrier == null) {
        return null;
      }
      Object value = carrier.get(key);
      return value instanceof String ? (String) value : null;
    }
  }

  /** Accepts and drops every span: the export cost without I/O. */
  enum DiscardingExporter implements SpanExporter {
    INSTANCE;

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
