package io.tracefold.benchmarks.axon;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.inspection.AggregateMetaModelFactory;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.modelling.command.inspection.EntityModel;

/**
 * What a user would hand-write to link rehydration to events without Tracefold: Axon's annotated
 * models, wrapped so that every replayed event ({@code !AggregateLifecycle.isLive()}) is extracted
 * with OpenTelemetry's {@code W3CTraceContextPropagator} and added to the current span (Axon's
 * {@code initializeState} span) with {@code Span.current().addLink(..)}. No budget (the SDK keeps
 * the first 128 links and drops the rest), no lineage, no checkpoint.
 */
final class NaiveLinkingMetaModelFactory implements AggregateMetaModelFactory {

  private final Configuration configuration;

  NaiveLinkingMetaModelFactory(Configuration configuration) {
    this.configuration = configuration;
  }

  @Override
  public <T> AggregateModel<T> createModel(Class<? extends T> aggregateType, Set<Class<? extends T>> subtypes) {
    return new LinkingModel<>(
        new AnnotatedAggregateMetaModelFactory(
                configuration.parameterResolverFactory(), configuration.handlerDefinition(aggregateType))
            .createModel(aggregateType, subtypes));
  }

  /** Reads message metadata as a propagation carrier. */
  enum MetaDataGetter implements TextMapGetter<MetaData> {
    INSTANCE;

    @Override
    public Iterable<String> keys(MetaData carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(MetaData carrier, String key) {
      if (carrier == null) {
        return null;
      }
      Object value = carrier.get(key);
      return value instanceof String ? (String) value : null;
    }
  }

  /** Axon's model, plus a link per replayed event. */
  private static final class LinkingModel<T> implements AggregateModel<T> {
    private final AggregateModel<T> delegate;

    LinkingModel(AggregateModel<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public void publish(EventMessage<?> message, T target) {
      if (!AggregateLifecycle.isLive()) {
        Context extracted =
            W3CTraceContextPropagator.getInstance()
                .extract(Context.root(), message.getMetaData(), MetaDataGetter.INSTANCE);
        SpanContext linked = Span.fromContext(extracted).getSpanContext();
        if (linked.isValid()) {
          Span.current().addLink(linked);
        }
      }
      delegate.publish(message, target);
    }

    @Override
    public String type() {
      return delegate.type();
    }

    @Override
    public Long getVersion(T target) {
      return delegate.getVersion(target);
    }

    @Override
    public Optional<Class<?>> type(String declaredType) {
      return delegate.type(declaredType);
    }

    @Override
    public Optional<String> declaredType(Class<?> type) {
      return delegate.declaredType(type);
    }

    @Override
    public Stream<Class<?>> types() {
      return delegate.types();
    }

    @Override
    public Object getIdentifier(T target) {
      return delegate.getIdentifier(target);
    }

    @Override
    public String routingKey() {
      return delegate.routingKey();
    }

    @Override
    @SuppressWarnings("deprecation")
    public List<MessageHandlingMember<? super T>> commandHandlers() {
      return delegate.commandHandlers();
    }

    @Override
    public Map<Class<?>, List<MessageHandlingMember<? super T>>> allCommandHandlers() {
      return delegate.allCommandHandlers();
    }

    @Override
    public Stream<MessageHandlingMember<? super T>> commandHandlers(Class<? extends T> type) {
      return delegate.commandHandlers(type);
    }

    @Override
    @SuppressWarnings("deprecation")
    public List<MessageHandlingMember<? super T>> commandHandlerInterceptors() {
      return delegate.commandHandlerInterceptors();
    }

    @Override
    public Map<Class<?>, List<MessageHandlingMember<? super T>>> allCommandHandlerInterceptors() {
      return delegate.allCommandHandlerInterceptors();
    }

    @Override
    public Stream<MessageHandlingMember<? super T>> commandHandlerInterceptors(Class<? extends T> type) {
      return delegate.commandHandlerInterceptors(type);
    }

    @Override
    public Map<Class<?>, List<MessageHandlingMember<? super T>>> allEventHandlers() {
      return delegate.allEventHandlers();
    }

    @Override
    public <C> EntityModel<C> modelOf(Class<? extends C> childEntityType) {
      return delegate.modelOf(childEntityType);
    }

    @Override
    public Class<? extends T> entityClass() {
      return delegate.entityClass();
    }
  }
}
