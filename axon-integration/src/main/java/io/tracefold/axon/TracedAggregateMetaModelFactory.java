package io.tracefold.axon;

import io.tracefold.core.Tracefold;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.inspection.AggregateMetaModelFactory;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;

/**
 * Builds Axon's annotated aggregate models, wrapping those of {@link TracedAggregate} classes in a
 * {@link TracedAggregateModel}. Registered as the Configurer's {@link AggregateMetaModelFactory} (or
 * declared as the Spring bean of that type), so every aggregate Axon configures gets it, whatever
 * repository, cache or snapshot trigger the user gave it.
 */
final class TracedAggregateMetaModelFactory implements AggregateMetaModelFactory {

  private final Supplier<ParameterResolverFactory> parameterResolverFactory;
  private final Function<Class<?>, HandlerDefinition> handlerDefinitions;
  private final Tracefold tracefold;

  /** Resolves both lazily, per model, as Axon's own default does. */
  TracedAggregateMetaModelFactory(
      Supplier<ParameterResolverFactory> parameterResolverFactory,
      Function<Class<?>, HandlerDefinition> handlerDefinitions,
      Tracefold tracefold) {
    this.parameterResolverFactory = parameterResolverFactory;
    this.handlerDefinitions = handlerDefinitions;
    this.tracefold = tracefold;
  }

  @Override
  public <T> AggregateModel<T> createModel(Class<? extends T> aggregateType, Set<Class<? extends T>> subtypes) {
    AggregateModel<T> model =
        new AnnotatedAggregateMetaModelFactory(parameterResolverFactory.get(), handlerDefinitions.apply(aggregateType))
            .createModel(aggregateType, subtypes);
    AggregateTracing tracing = AggregateTracing.of(aggregateType, tracefold);
    return tracing == null ? model : new TracedAggregateModel<>(model, tracing);
  }
}
