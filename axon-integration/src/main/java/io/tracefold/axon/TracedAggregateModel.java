package io.tracefold.axon;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.EntityModel;

/**
 * The model of a {@link TracedAggregate}: Axon's own model, plus a look at every message published
 * to the aggregate while a {@link RehydrationSpan} is current, including the snapshot and events
 * the aggregate has no handler for. Live events (applied by command handlers) pass untouched.
 */
final class TracedAggregateModel<T> implements AggregateModel<T> {

  private final AggregateModel<T> delegate;
  private final AggregateTracing tracing;
  private final Set<Class<?>> snapshotTypes;

  TracedAggregateModel(AggregateModel<T> delegate, AggregateTracing tracing) {
    this.delegate = delegate;
    this.tracing = tracing;
    // Axon recognises a snapshot by a payload of one of the aggregate's types.
    this.snapshotTypes = delegate.types().collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void publish(EventMessage<?> message, T target) {
    RehydrationSpan rehydration = RehydrationSpan.current();
    if (rehydration != null && message instanceof DomainEventMessage) {
      try {
        rehydration.record(tracing, (DomainEventMessage<?>) message, snapshotTypes);
      } catch (RuntimeException | LinkageError e) {
        // Fail open: never let tracing break a load. (record() counts its own errors.)
        Guard.failed(e, "record a replayed event");
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
