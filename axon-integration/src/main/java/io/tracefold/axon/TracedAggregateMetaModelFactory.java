package io.tracefold.axon;

import io.tracefold.core.Tracefold;
import java.util.Set;
import org.axonframework.config.Configuration;
import org.axonframework.modelling.command.inspection.AggregateMetaModelFactory;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;

/**
 * Builds Axon's annotated aggregate models, wrapping those of {@link TracedAggregate} classes in a
 * {@link TracedAggregateModel}. Registered as the Configurer's {@link AggregateMetaModelFactory},
 * so every aggregate configured with {@code configureAggregate(..)} gets it, whatever repository,
 * cache or snapshot trigger the user gave it.
 */
final class TracedAggregateMetaModelFactory implements AggregateMetaModelFactory {

  private final Configuration configuration;
  private final Tracefold tracefold;

  TracedAggregateMetaModelFactory(Configuration configuration, Tracefold tracefold) {
    this.configuration = configuration;
    this.tracefold = tracefold;
  }

  @Override
  public <T> AggregateModel<T> createModel(Class<? extends T> aggregateType, Set<Class<? extends T>> subtypes) {
    AggregateModel<T> model =
        new AnnotatedAggregateMetaModelFactory(
                configuration.parameterResolverFactory(), configuration.handlerDefinition(aggregateType))
            .createModel(aggregateType, subtypes);
    AggregateTracing tracing = AggregateTracing.of(aggregateType, tracefold);
    return tracing == null ? model : new TracedAggregateModel<>(model, tracing);
  }
}
