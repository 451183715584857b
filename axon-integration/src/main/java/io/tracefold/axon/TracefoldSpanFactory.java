package io.tracefold.axon;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.tracefold.core.internal.W3CTraceContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanAttributesProvider;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.attributes.MetadataSpanAttributesProvider;
import org.jspecify.annotations.Nullable;

/**
 * Tracefold's own OpenTelemetry {@link SpanFactory} for Axon: spans for dispatching and handling
 * messages, and the W3C trace context written into message metadata.
 *
 * <p>Why not Axon's {@code axon-tracing-opentelemetry}: its 4.13.0 release is not published where
 * our users' {@code axon-bom} points, it allocates a HashMap and formats strings per span, copies all
 * metadata into span attributes, and falls back to {@code GlobalOpenTelemetry} silently. This one
 * uses the given {@code OpenTelemetry} only, writes {@code traceparent} and {@code tracestate} (and
 * {@code baggage} restricted to an allowlist), and never copies metadata into attributes unless
 * asked.
 */
final class TracefoldSpanFactory implements SpanFactory {

  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("axon.message.id");
  static final AttributeKey<String> PAYLOAD_TYPE = AttributeKey.stringKey("axon.message.payload_type");

  // Span names per payload type and operation (Axon's operations are a handful of constants): built
  // once, not concatenated per message. Bounded, in case an operation name is not a constant.
  private static final int MAX_CACHED_NAMES_PER_TYPE = 32;

  private static final ClassValue<Map<String, String>> SPAN_NAMES =
      new ClassValue<>() {
        @Override
        protected Map<String, String> computeValue(Class<?> payloadType) {
          return new ConcurrentHashMap<>(8);
        }
      };

  private final Tracer tracer;
  private final Set<String> baggageAllowlist;
  private final boolean copyMetadataAttributes;
  private final boolean eventPublishSpans;
  private final List<SpanAttributesProvider> attributeProviders = new CopyOnWriteArrayList<>();

  TracefoldSpanFactory(
      Tracer tracer, Set<String> baggageAllowlist, boolean copyMetadataAttributes, boolean eventPublishSpans) {
    this.tracer = tracer;
    this.baggageAllowlist = baggageAllowlist;
    this.copyMetadataAttributes = copyMetadataAttributes;
    this.eventPublishSpans = eventPublishSpans;
  }

  /** Returns whether every published event gets a publish span of its own. */
  boolean eventPublishSpans() {
    return eventPublishSpans;
  }

  /**
   * Returns whether an event published now carries the current span's context instead of a
   * publish span of its own: publish spans are off and a valid span of this process is current
   * (a merely extracted remote context is another service's span: the event then gets its own).
   */
  static boolean inheritsCurrentSpan(boolean eventPublishSpans) {
    if (eventPublishSpans) {
      return false;
    }
    SpanContext current = Span.current().getSpanContext();
    return current.isValid() && !current.isRemote();
  }

  @Override
  public org.axonframework.tracing.Span createRootTrace(Supplier<String> operationNameSupplier) {
    try {
      return new OtelAxonSpan(
          tracer.spanBuilder(operationNameSupplier.get()).setNoParent().setSpanKind(SpanKind.INTERNAL));
    } catch (RuntimeException | LinkageError e) {
      return noSpan(e);
    }
  }

  /** The span of a callback whose tracing failed: Axon goes on untraced (fail-open). */
  static org.axonframework.tracing.Span noSpan(Throwable cause) {
    Guard.failed(cause, "create a span");
    return NoOpSpanFactory.NoOpSpan.INSTANCE;
  }

  @Override
  public org.axonframework.tracing.Span createHandlerSpan(
      Supplier<String> operationNameSupplier,
      Message<?> parentMessage,
      boolean isChildTrace,
      Message<?>... linkedParents) {
    try {
      return handlerSpan(operationNameSupplier, parentMessage, isChildTrace, linkedParents);
    } catch (RuntimeException | LinkageError e) {
      return noSpan(e);
    }
  }

  private org.axonframework.tracing.Span handlerSpan(
      Supplier<String> operationNameSupplier,
      Message<?> parentMessage,
      boolean isChildTrace,
      Message<?>... linkedParents) {
    SpanBuilder builder = tracer.spanBuilder(name(operationNameSupplier, parentMessage)).setSpanKind(SpanKind.CONSUMER);
    SpanContext remote = extract(parentMessage);
    if (isChildTrace && remote != null) {
      builder.setParent(Context.root().with(Span.wrap(remote)));
    } else {
      builder.setNoParent();
      if (remote != null) {
        builder.addLink(remote);
      }
    }
    for (Message<?> linked : linkedParents) {
      SpanContext context = extract(linked);
      if (context != null) {
        builder.addLink(context);
      }
    }
    return withMessageAttributes(builder, parentMessage);
  }

  @Override
  public org.axonframework.tracing.Span createDispatchSpan(
      Supplier<String> operationNameSupplier, Message<?> parentMessage, Message<?>... linkedSiblings) {
    try {
      return dispatchSpan(operationNameSupplier, parentMessage, linkedSiblings);
    } catch (RuntimeException | LinkageError e) {
      return noSpan(e);
    }
  }

  private org.axonframework.tracing.Span dispatchSpan(
      Supplier<String> operationNameSupplier, Message<?> parentMessage, Message<?>... linkedSiblings) {
    if (parentMessage instanceof EventMessage
        && !(parentMessage instanceof DeadlineMessage)
        && inheritsCurrentSpan(eventPublishSpans)) {
      // The event bus's publish span (the only dispatch span of an event; deadlines keep theirs):
      // not made, so propagateContext writes the context of the span that applied the event.
      return NoOpSpanFactory.NoOpSpan.INSTANCE;
    }
    SpanBuilder builder =
        tracer
            .spanBuilder(name(operationNameSupplier, parentMessage))
            .setParent(Context.current())
            .setSpanKind(SpanKind.PRODUCER);
    for (Message<?> sibling : linkedSiblings) {
      SpanContext context = extract(sibling);
      if (context != null) {
        builder.addLink(context);
      }
    }
    return withMessageAttributes(builder, parentMessage);
  }

  @Override
  public org.axonframework.tracing.Span createInternalSpan(Supplier<String> operationNameSupplier) {
    try {
      return new OtelAxonSpan(
          tracer.spanBuilder(operationNameSupplier.get()).setParent(Context.current()).setSpanKind(SpanKind.INTERNAL));
    } catch (RuntimeException | LinkageError e) {
      return noSpan(e);
    }
  }

  @Override
  public org.axonframework.tracing.Span createInternalSpan(Supplier<String> operationNameSupplier, Message<?> message) {
    try {
      SpanBuilder builder =
          tracer
              .spanBuilder(name(operationNameSupplier, message))
              .setParent(Context.current())
              .setSpanKind(SpanKind.INTERNAL);
      return withMessageAttributes(builder, message);
    } catch (RuntimeException | LinkageError e) {
      return noSpan(e);
    }
  }

  @Override
  public void registerSpanAttributeProvider(SpanAttributesProvider provider) {
    if (provider instanceof MetadataSpanAttributesProvider && !copyMetadataAttributes) {
      // Metadata is user data: it goes into span attributes only when explicitly allowed.
      return;
    }
    attributeProviders.add(provider);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <M extends Message<?>> M propagateContext(M message) {
    try {
      Context context = Context.current();
      SpanContext spanContext = Span.fromContext(context).getSpanContext();
      String traceparent = W3CTraceContext.formatTraceparent(spanContext);
      if (traceparent == null) {
        return message;
      }
      String tracestate = W3CTraceContext.formatTracestate(spanContext.getTraceState());
      if (baggageAllowlist.isEmpty()) {
        // The common case: the context alone, merged into the metadata in one copy.
        return tracestate.isEmpty()
            ? AppendedMetaData.append(message, W3CTraceContext.TRACEPARENT, traceparent, null, null)
            : AppendedMetaData.append(
                message, W3CTraceContext.TRACEPARENT, traceparent, W3CTraceContext.TRACESTATE, tracestate);
      }
      Map<String, String> metadata = new HashMap<>(4);
      metadata.put(W3CTraceContext.TRACEPARENT, traceparent);
      if (!tracestate.isEmpty()) {
        metadata.put(W3CTraceContext.TRACESTATE, tracestate);
      }
      if (!baggageAllowlist.isEmpty()) {
        injectAllowedBaggage(context, metadata);
      }
      return (M) message.andMetaData(metadata);
    } catch (RuntimeException | LinkageError e) {
      // Fail open: a message without context is better than a failed command.
      Guard.failed(e, "write the trace context into a message");
      return message;
    }
  }

  private void injectAllowedBaggage(Context context, Map<String, String> metadata) {
    Baggage baggage = Baggage.fromContext(context);
    if (baggage.isEmpty()) {
      return;
    }
    BaggageBuilder allowed = Baggage.builder();
    baggage.forEach(
        (key, entry) -> {
          if (baggageAllowlist.contains(key)) {
            allowed.put(key, entry.getValue(), entry.getMetadata());
          }
        });
    W3CBaggagePropagator.getInstance()
        .inject(Context.root().with(allowed.build()), metadata, (carrier, key, value) -> carrier.put(key, value));
  }

  /** Returns the context stored in a message's metadata, or null. */
  static @Nullable SpanContext extract(@Nullable Message<?> message) {
    if (message == null) {
      return null;
    }
    try {
      MetaData metaData = message.getMetaData();
      return EventContexts.spanContext(
          metaData.get(W3CTraceContext.TRACEPARENT), metaData.get(W3CTraceContext.TRACESTATE));
    } catch (RuntimeException | LinkageError e) {
      // Metadata that cannot be read (e.g. corrupt in the store): the message goes on unlinked.
      Guard.failed(e, "read a message's trace context");
      return null;
    }
  }


  private OtelAxonSpan withMessageAttributes(SpanBuilder builder, Message<?> message) {
    builder.setAttribute(MESSAGE_ID, message.getIdentifier());
    builder.setAttribute(PAYLOAD_TYPE, message.getPayloadType().getName());
    for (SpanAttributesProvider provider : attributeProviders) {
      try {
        for (Map.Entry<String, String> attribute : provider.provideForMessage(message).entrySet()) {
          builder.setAttribute(attribute.getKey(), attribute.getValue());
        }
      } catch (RuntimeException | LinkageError e) {
        // A faulty attribute provider (or unreadable metadata) must not fail the message.
      }
    }
    return new OtelAxonSpan(builder);
  }

  private static String name(Supplier<String> operationNameSupplier, Message<?> message) {
    // The payload's simple name is low-cardinality (a closed set of classes); ids never go here.
    String operation = operationNameSupplier.get();
    Map<String, String> names = SPAN_NAMES.get(message.getPayloadType());
    String name = names.get(operation);
    if (name == null) {
      name = operation + '(' + message.getPayloadType().getSimpleName() + ')';
      if (names.size() < MAX_CACHED_NAMES_PER_TYPE) {
        names.put(operation, name);
      }
    }
    return name;
  }
}
