package io.tracefold.axon;

import java.util.function.Supplier;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanScope;

/**
 * An Axon {@link Span} that forwards to another; Tracefold's spans extend it to add work around
 * {@link #makeCurrent()} or {@link #end()}.
 */
abstract class ForwardingSpan implements Span {

  private final Span delegate;

  ForwardingSpan(Span delegate) {
    this.delegate = delegate;
  }

  /**
   * Axon's own {@code runSupplier}, except that an {@link Error} (a linkage error in an upcaster, a
   * stack overflow in a handler) is recorded on the span too, not only an exception.
   */
  final <T> T runSupplierRecordingErrors(Supplier<T> supplier) {
    start();
    try (SpanScope ignored = makeCurrent()) {
      return supplier.get();
    } catch (RuntimeException | Error e) {
      recordException(e);
      throw e;
    } finally {
      end();
    }
  }

  @Override
  public Span start() {
    delegate.start();
    return this;
  }

  @Override
  public SpanScope makeCurrent() {
    return delegate.makeCurrent();
  }

  @Override
  public void end() {
    delegate.end();
  }

  @Override
  public Span recordException(Throwable t) {
    delegate.recordException(t);
    return this;
  }

  @Override
  public Span addAttribute(String key, String value) {
    delegate.addAttribute(key, value);
    return this;
  }
}
