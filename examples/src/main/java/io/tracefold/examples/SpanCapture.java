package io.tracefold.examples;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A span processor that keeps every finished sampled span in memory, beside whatever exporters
 * the SDK was configured with, so that the example can walk the links it just produced and print
 * the provenance tree. Bounded: beyond {@code maxSpans} spans are counted, not kept.
 */
final class SpanCapture implements SpanProcessor {

  private final ConcurrentLinkedQueue<SpanData> spans = new ConcurrentLinkedQueue<>();
  private final AtomicLong kept = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final long maxSpans;
  private volatile Consumer<SpanData> listener = span -> {};

  SpanCapture(long maxSpans) {
    this.maxSpans = maxSpans;
  }

  /** Calls {@code listener} with every span kept, on the thread that ended it. */
  void setListener(Consumer<SpanData> listener) {
    this.listener = listener;
  }

  /** Returns a copy of the spans kept so far, in the order they ended. */
  List<SpanData> spans() {
    return new ArrayList<>(spans);
  }

  /** Returns how many spans were not kept because the bound was reached. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (!span.getSpanContext().isSampled()) {
      return;
    }
    if (kept.incrementAndGet() > maxSpans) {
      dropped.incrementAndGet();
      return;
    }
    SpanData data = span.toSpanData();
    spans.add(data);
    try {
      listener.accept(data);
    } catch (RuntimeException e) {
      // Progress output must never fail the traced application.
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
