package io.tracefold.axon.spring;

import io.tracefold.axon.AxonTracefold;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Declares Axon's {@code aggregateSnapshotter} bean with snapshot provenance: a {@link
 * SpringAggregateSnapshotter} whose snapshots of traced aggregates carry their lineage, so a
 * rehydration from a snapshot still reaches every event it summarises. Like Axon's own bean, only
 * when there is no {@link Snapshotter} bean and there is an event store.
 *
 * <p>Separate from {@link TracefoldAutoConfiguration} because of ordering: it must come after the
 * auto-configurations that declare event stores (Axon Server, JPA, JDBC), which come after Axon's
 * tracing auto-configuration that {@code TracefoldAutoConfiguration} must precede, and before
 * {@code AxonAutoConfiguration}, whose snapshotter bean then backs off.
 */
@AutoConfiguration(
    after = TracefoldAutoConfiguration.class,
    afterName = {
      "org.axonframework.springboot.autoconfig.AxonServerAutoConfiguration",
      "org.axonframework.springboot.autoconfig.AxonServerBusAutoConfiguration",
      "org.axonframework.springboot.autoconfig.JpaEventStoreAutoConfiguration",
      "org.axonframework.springboot.autoconfig.legacyjpa.JpaJavaxEventStoreAutoConfiguration",
      "org.axonframework.springboot.autoconfig.JdbcAutoConfiguration"
    },
    before = AxonAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "org.axonframework.springboot.autoconfig.AxonAutoConfiguration",
      "org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter"
    })
@ConditionalOnProperty(prefix = "tracefold", name = "enabled", havingValue = "true", matchIfMissing = true)
public final class TracefoldSnapshotterAutoConfiguration {

  /** Creates the auto-configuration (Spring instantiates it). */
  public TracefoldSnapshotterAutoConfiguration() {}

  /** Returns Axon's Spring snapshotter, as Axon builds it, with snapshot provenance. */
  @Bean
  @ConditionalOnMissingBean(Snapshotter.class)
  @Conditional(OnEventStore.class)
  public SpringAggregateSnapshotter aggregateSnapshotter(
      AxonTracefold tracefold,
      Configuration configuration,
      HandlerDefinition handlerDefinition,
      ParameterResolverFactory parameterResolverFactory,
      EventStore eventStore,
      TransactionManager transactionManager,
      SnapshotterSpanFactory spanFactory) {
    return (SpringAggregateSnapshotter)
        tracefold.snapshotter(
            SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory));
  }

  /**
   * An event store bean exists, or will: {@code AxonAutoConfiguration} builds one from an {@link
   * EventStorageEngine} bean after this configuration is read.
   */
  static final class OnEventStore extends AnyNestedCondition {
    OnEventStore() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(EventStore.class)
    static final class EventStoreBean {}

    @ConditionalOnBean(EventStorageEngine.class)
    static final class EventStorageEngineBean {}
  }
}
