package io.tracefold.axon;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.axonframework.tracing.SpanScope;
import org.jspecify.annotations.Nullable;

/**
 * An Axon {@link org.axonframework.tracing.Span} backed by an OpenTelemetry span. Attributes added
 * before {@link #start()} go on the builder, so samplers see them. Never throws.
 */
final class OtelAxonSpan implements org.axonframework.tracing.Span {

  private final SpanBuilder builder;
  private @Nullable Span span;

  OtelAxonSpan(SpanBuilder builder) {
    this.builder = builder;
  }

  @Override
  public org.axonframework.tracing.Span start() {
    if (span == null) {
      span = builder.startSpan();
    }
    return this;
  }

  @Override
  public SpanScope makeCurrent() {
    Span current = span;
    if (current == null) {
      return () -> {};
    }
    Scope scope = current.makeCurrent();
    return scope::close;
  }

  @Override
  public void end() {
    Span current = span;
    if (current != null) {
      current.end();
    }
  }

  @Override
  public org.axonframework.tracing.Span recordException(Throwable t) {
    Span current = span;
    if (current != null) {
      current.recordException(t);
      current.setStatus(StatusCode.ERROR);
    }
    return this;
  }

  @Override
  public org.axonframework.tracing.Span addAttribute(String key, String value) {
    Span current = span;
    if (current == null) {
      builder.setAttribute(key, value);
    } else {
      current.setAttribute(key, value);
    }
    return this;
  }

  /** Returns the OpenTelemetry span, or an invalid span before {@link #start()}. */
  Span otelSpan() {
    Span current = span;
    return current == null ? Span.getInvalid() : current;
  }
}
