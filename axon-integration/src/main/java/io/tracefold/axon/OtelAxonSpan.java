package io.tracefold.axon;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
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

  // Every OpenTelemetry call is guarded: a failing SDK, span processor or an API older than ours
  // (LinkageError) must never fail the command, load or handler this span observes.

  @Override
  public org.axonframework.tracing.Span start() {
    if (span == null) {
      try {
        span = builder.startSpan();
      } catch (RuntimeException | LinkageError e) {
        span = Span.getInvalid();
        Guard.failed(e, "start a span");
      }
    }
    return this;
  }

  @Override
  public SpanScope makeCurrent() {
    Span current = span;
    if (current == null) {
      return () -> {};
    }
    return makeCurrent(current);
  }

  /** Returns the current OpenTelemetry span, or the invalid span if reading it fails (logged). */
  static Span currentOrInvalid() {
    try {
      return Span.current();
    } catch (RuntimeException | LinkageError e) {
      Guard.failed(e, "read the current span");
      return Span.getInvalid();
    }
  }

  /**
   * Makes {@code span} current in the current context; neither this nor the scope's closing ever
   * throws (failures are logged).
   */
  static SpanScope makeCurrent(Span span) {
    Context context;
    try {
      context = Context.current().with(span);
    } catch (RuntimeException | LinkageError e) {
      Guard.failed(e, "make a span current");
      return () -> {};
    }
    return makeCurrent(context);
  }

  /** Makes {@code context} current; the scope and its closing never throw (failures are logged). */
  static SpanScope makeCurrent(Context context) {
    Scope scope;
    try {
      scope = context.makeCurrent();
    } catch (RuntimeException | LinkageError e) {
      Guard.failed(e, "make a span current");
      return () -> {};
    }
    return () -> {
      try {
        scope.close();
      } catch (RuntimeException | LinkageError e) {
        Guard.failed(e, "close a span scope");
      }
    };
  }

  @Override
  public void end() {
    Span current = span;
    if (current != null) {
      try {
        current.end();
      } catch (RuntimeException | LinkageError e) {
        Guard.failed(e, "end a span");
      }
    }
  }

  @Override
  public org.axonframework.tracing.Span recordException(Throwable t) {
    Span current = span;
    if (current != null) {
      try {
        current.recordException(t);
        current.setStatus(StatusCode.ERROR);
      } catch (RuntimeException | LinkageError e) {
        Guard.failed(e, "record an exception on a span");
      }
    }
    return this;
  }

  @Override
  public org.axonframework.tracing.Span addAttribute(String key, String value) {
    try {
      Span current = span;
      if (current == null) {
        builder.setAttribute(key, value);
      } else {
        current.setAttribute(key, value);
      }
    } catch (RuntimeException | LinkageError e) {
      Guard.failed(e, "set a span attribute");
    }
    return this;
  }

  /** Returns the OpenTelemetry span, or an invalid span before {@link #start()}. */
  Span otelSpan() {
    Span current = span;
    return current == null ? Span.getInvalid() : current;
  }
}
