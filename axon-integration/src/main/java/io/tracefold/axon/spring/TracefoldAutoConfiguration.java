package io.tracefold.axon.spring;

import io.opentelemetry.api.OpenTelemetry;
import io.tracefold.axon.AxonTracefold;
import io.tracefold.axon.InMemoryProjectionLineageStore;
import io.tracefold.axon.JdbcProjectionLineageStore;
import io.tracefold.axon.ProjectionLineageStore;
import io.tracefold.axon.TracedProjection;
import io.tracefold.core.LinkLimits;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventProcessorSpanFactory;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.lifecycle.Phase;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.DefaultRepositorySpanFactory;
import org.axonframework.modelling.command.RepositorySpanFactory;
import org.axonframework.modelling.command.inspection.AggregateMetaModelFactory;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.AxonTracingAutoConfiguration;
import org.axonframework.tracing.SpanFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.util.unit.DataSize;

/**
 * Spring Boot auto-configuration of Tracefold for Axon Framework 4: with {@code tracefold-axon} and
 * Axon's Spring Boot starter on the class path, every {@link io.tracefold.axon.TracedAggregate}
 * and {@link io.tracefold.axon.TracedProjection} is traced.
 *
 * <p>Each component is a bean of its own, declared only when the application has none of its type
 * (or, for the handler enhancer and the dispatch-interceptor module, of its name), so a user's bean
 * replaces exactly one piece. The span factories take the place of the beans of the same names in
 * Axon's {@code AxonTracingAutoConfiguration}, which back off; the snapshotter comes from {@link
 * TracefoldSnapshotterAutoConfiguration}.
 *
 * <p>Emits through the application's {@link OpenTelemetry} bean (its own, or a starter's such as
 * the OpenTelemetry Spring Boot starter's); without one, under the OpenTelemetry Java agent,
 * through the agent's instance (also in place of the exporter-less SDK that Spring Boot's Actuator
 * declares on its own); {@code tracefold.open-telemetry} overrides that choice. Tracefold never
 * uses {@code GlobalOpenTelemetry} otherwise: without any instance the application fails to start,
 * explained by {@link TracefoldFailureAnalyzer}. {@code tracefold.enabled=false} switches the whole
 * auto-configuration off.
 */
@AutoConfiguration(
    before = {AxonTracingAutoConfiguration.class, AxonAutoConfiguration.class},
    afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    beforeName = "org.axonframework.springboot.autoconfig.OpenTelemetryAutoConfiguration")
@ConditionalOnClass(
    name = {
      "org.axonframework.springboot.autoconfig.AxonAutoConfiguration",
      "org.axonframework.spring.config.SpringConfigurer"
    })
@ConditionalOnProperty(prefix = "tracefold", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(TracefoldProperties.class)
public final class TracefoldAutoConfiguration {

  private static final Logger LOGGER = LoggerFactory.getLogger(TracefoldAutoConfiguration.class);

  /** Name of the handler enhancer bean; a bean of this name replaces it. */
  public static final String HANDLER_ENHANCER_BEAN = "tracefoldHandlerEnhancerDefinition";

  /** Name of the module registering the event-bus dispatch interceptor; a bean of this name replaces it. */
  public static final String EVENT_DISPATCH_INTERCEPTOR_BEAN = "tracefoldEventDispatchInterceptor";

  /** Creates the auto-configuration (Spring instantiates it). */
  public TracefoldAutoConfiguration() {}

  /**
   * Returns where {@code @TracedProjection} entities' lineage is kept when the application has no
   * single {@link DataSource}: in memory (it forgets everything at a restart, as in-memory read
   * models do).
   */
  @Bean
  @ConditionalOnMissingBean
  public ProjectionLineageStore projectionLineageStore() {
    return new InMemoryProjectionLineageStore();
  }

  /**
   * With a single {@link DataSource} (and Spring JDBC), the lineage is durable by default: a
   * {@link JdbcProjectionLineageStore} on that data source, behind a transaction-aware proxy so its
   * writes share the read model's transaction. Its table is created at start-up if absent (see the
   * module README for the DDL and for Flyway/Liquibase users).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy")
  @ConditionalOnSingleCandidate(DataSource.class)
  static class JdbcLineageStoreConfiguration {

    // After Flyway, Liquibase and Spring's SQL scripts: a migration that creates the table first
    // finds it absent, and ours then finds it present.
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    ProjectionLineageStore projectionLineageStore(DataSource dataSource) {
      JdbcProjectionLineageStore store =
          JdbcProjectionLineageStore.create(new TransactionAwareDataSourceProxy(dataSource));
      try {
        store.createSchema();
      } catch (RuntimeException e) {
        // The database may not allow DDL (a migration tool owns the schema): the store works once
        // the table exists; until then its failures are counted, never the application's.
        LOGGER.warn("Tracefold could not create table {} (create it with the DDL in the tracefold-axon"
            + " README); projection lineage is not stored until it exists", JdbcProjectionLineageStore.DEFAULT_TABLE, e);
      }
      return store;
    }
  }

  /**
   * Returns the module every other bean comes from, emitting through the {@link OpenTelemetry} that
   * {@code tracefold.open-telemetry} selects (by default: the application's bean, else the
   * OpenTelemetry Java agent's instance, else Spring Boot's auto-configured bean) and configured by
   * {@code tracefold.*}. Logs at INFO which instance it uses and why, and a WARN when it can tell
   * that instance exports nothing.
   *
   * @throws MissingOpenTelemetryException if there is no such instance
   * @throws InvalidConfigurationPropertyValueException if a {@code tracefold.*} setting is invalid
   */
  @Bean
  @ConditionalOnMissingBean
  public AxonTracefold axonTracefold(
      ObjectProvider<OpenTelemetry> openTelemetry,
      TracefoldProperties properties,
      ProjectionLineageStore projectionLineageStore,
      ConfigurableListableBeanFactory beanFactory) {
    if (properties.getOpenTelemetry() == null) {
      throw new InvalidConfigurationPropertyValueException(
          "tracefold.open-telemetry", null, "must be one of auto, bean, agent");
    }
    JavaAgent agent = beanFactory.getBeanProvider(JavaAgent.class).getIfAvailable(JavaAgent::detect);
    OpenTelemetryChoice choice = OpenTelemetryChoice.choose(properties.getOpenTelemetry(), openTelemetry, beanFactory, agent);
    AxonTracefold tracefold =
        builder(choice.instance, properties).setProjectionLineageStore(projectionLineageStore).build();
    choice.report(LOGGER);
    return tracefold;
  }

  /**
   * Returns a start-up check that warns, naming the processing groups, when {@code @TracedProjection}
   * lineage is kept in memory while the application's tokens are persistent: after a restart the
   * processors resume, and every update would link only events handled since.
   */
  @Bean
  static SmartInitializingSingleton tracefoldLineageStoreCheck(
      ObjectProvider<ProjectionLineageStore> store, ObjectProvider<TokenStore> tokenStore, ApplicationContext context) {
    return () -> {
      try {
        TokenStore tokens = tokenStore.getIfAvailable();
        if (!(store.getIfAvailable() instanceof InMemoryProjectionLineageStore)
            || tokens == null || tokens instanceof InMemoryTokenStore) {
          return;
        }
        Set<String> groups = new TreeSet<>();
        for (String name : context.getBeanNamesForAnnotation(TracedProjection.class)) {
          Class<?> type = context.getType(name);
          ProcessingGroup group = type == null ? null : AnnotationUtils.findAnnotation(type, ProcessingGroup.class);
          groups.add(group != null ? group.value() : (type == null ? name : type.getPackageName()));
        }
        if (!groups.isEmpty()) {
          LOGGER.warn("Tracefold: processing group(s) {} keep their tokens in {} but their @TracedProjection"
              + " lineage in memory: after a restart every update links only events handled since. Declare a"
              + " JdbcProjectionLineageStore bean (or give the application a DataSource).",
              groups, tokens.getClass().getSimpleName());
        }
      } catch (RuntimeException | LinkageError e) {
        // Diagnostics only: never fail the start for them.
      }
    };
  }

  /** Returns the builder {@code properties} describe, naming the first invalid setting. */
  static AxonTracefold.Builder builder(OpenTelemetry openTelemetry, TracefoldProperties properties) {
    LinkLimits.Builder limits = LinkLimits.getDefault().toBuilder();
    try {
      limits.setMaxDirectLinks(properties.getMaxDirectLinks());
    } catch (IllegalArgumentException e) {
      throw invalid("tracefold.max-direct-links", properties.getMaxDirectLinks(), e);
    }
    if (properties.getOverflowPolicy() == null) {
      throw new InvalidConfigurationPropertyValueException(
          "tracefold.overflow-policy", null, "must be one of LINEAGE, KEEP_FIRST_LOSSY, KEEP_LATEST_LOSSY");
    }
    limits.setOverflowPolicy(properties.getOverflowPolicy());
    LinkLimits built;
    try {
      built = limits.setMaxPendingContributors(properties.getMaxPendingContributors()).build();
    } catch (IllegalArgumentException e) {
      throw invalid("tracefold.max-pending-contributors", properties.getMaxPendingContributors(), e);
    }
    AxonTracefold.Builder builder = AxonTracefold.builder(openTelemetry).setLinkLimits(built);
    if (properties.getBaggageAllowlist() != null) {
      for (String key : properties.getBaggageAllowlist()) {
        if (key == null || key.isBlank()) {
          throw new InvalidConfigurationPropertyValueException(
              "tracefold.baggage-allowlist", properties.getBaggageAllowlist(), "keys must not be blank");
        }
      }
      builder.setBaggageAllowlist(properties.getBaggageAllowlist());
    }
    try {
      builder.setCheckpointCacheSize(properties.getCheckpointCacheSize());
    } catch (IllegalArgumentException e) {
      throw invalid("tracefold.checkpoint-cache-size", properties.getCheckpointCacheSize(), e);
    }
    try {
      DataSize bytes = properties.getCheckpointCacheBytes();
      if (bytes == null) {
        throw new IllegalArgumentException("must be set");
      }
      builder.setCheckpointCacheBytes(bytes.toBytes());
    } catch (IllegalArgumentException e) {
      throw invalid("tracefold.checkpoint-cache-bytes", properties.getCheckpointCacheBytes(), e);
    }
    try {
      if (properties.getLineageMaxAge() == null) {
        throw new IllegalArgumentException("must be set");
      }
      builder.setLineageMaxAge(properties.getLineageMaxAge());
    } catch (IllegalArgumentException e) {
      throw invalid("tracefold.lineage-max-age", properties.getLineageMaxAge(), e);
    }
    return builder
        .setCopyMetadataToSpanAttributes(properties.isCopyMetadataToSpanAttributes())
        .setEventPublishSpans(properties.isEventPublishSpans());
  }

  private static InvalidConfigurationPropertyValueException invalid(
      String name, Object value, IllegalArgumentException cause) {
    // The reason carries the cause's message; its cause cannot be set (the public constructor
    // initialises it to null, and initCause would throw instead).
    return new InvalidConfigurationPropertyValueException(name, value, cause.getMessage());
  }

  /**
   * Returns Tracefold's {@link SpanFactory}: command, event, load and snapshot spans, and the W3C
   * context in message metadata. Replaces Axon's {@code spanFactory} bean.
   */
  @Bean
  @ConditionalOnMissingBean(SpanFactory.class)
  public SpanFactory spanFactory(AxonTracefold tracefold) {
    return tracefold.spanFactory();
  }

  /**
   * Returns the repository span factory whose rehydration spans link every contributing event. Its
   * spans always come from Tracefold's own span factory, whatever the application's {@link
   * SpanFactory} bean is: a bean of another kind (such as Axon's {@code OpenTelemetrySpanFactory} on
   * an unset {@code GlobalOpenTelemetry}) would otherwise make rehydration spans that go nowhere.
   */
  @Bean
  @ConditionalOnMissingBean(RepositorySpanFactory.class)
  public RepositorySpanFactory repositorySpanFactory(AxonTracefold tracefold, ObjectProvider<SpanFactory> spanFactory) {
    try {
      SpanFactory bean = spanFactory.getIfAvailable();
      if (bean != null && bean != tracefold.spanFactory()) {
        LOGGER.info("Tracefold: the application's SpanFactory bean ({}) makes Axon's command, event and handler"
            + " spans; rehydration spans come from Tracefold's own span factory, on the OpenTelemetry it"
            + " emits through", bean.getClass().getName());
      }
    } catch (RuntimeException | LinkageError e) {
      // Diagnostics only: never fail the start for them.
    }
    return tracefold.repositorySpanFactory(
        DefaultRepositorySpanFactory.builder().spanFactory(tracefold.spanFactory()).build());
  }

  /** Returns the event processor span factory: root process and batch spans linked to their events. */
  @Bean
  @ConditionalOnMissingBean(EventProcessorSpanFactory.class)
  public EventProcessorSpanFactory eventProcessorSpanFactory(AxonTracefold tracefold) {
    return tracefold.eventProcessorSpanFactory();
  }

  /**
   * Returns the aggregate meta-model factory that shows a traced aggregate's rehydration span every
   * replayed message; Axon's Spring configurer uses a bean of this type for every aggregate.
   */
  @Bean
  @ConditionalOnMissingBean(AggregateMetaModelFactory.class)
  public AggregateMetaModelFactory aggregateMetaModelFactory(
      AxonTracefold tracefold, ParameterResolverFactory parameterResolverFactory, HandlerDefinition handlerDefinition) {
    return tracefold.aggregateMetaModelFactory(parameterResolverFactory, handlerDefinition);
  }

  /** Returns the handler enhancer that traces {@code @TracedProjection} event handlers. */
  @Bean(HANDLER_ENHANCER_BEAN)
  @ConditionalOnMissingBean(name = HANDLER_ENHANCER_BEAN)
  public HandlerEnhancerDefinition tracefoldHandlerEnhancerDefinition(AxonTracefold tracefold) {
    return tracefold.handlerEnhancerDefinition();
  }

  /**
   * Returns the module that registers {@link AxonTracefold#eventDispatchInterceptor()} on the event
   * bus: a publish span and context for events of a store built without the event-bus span factory.
   * Axon's own event store beans have one, so it usually finds every event already carrying a
   * context. (A module rather than a {@code MessageDispatchInterceptor} bean, which Axon would put
   * on the event gateway instead of the event bus.)
   */
  @Bean(EVENT_DISPATCH_INTERCEPTOR_BEAN)
  @ConditionalOnMissingBean(name = EVENT_DISPATCH_INTERCEPTOR_BEAN)
  public ConfigurerModule tracefoldEventDispatchInterceptor(AxonTracefold tracefold) {
    return configurer -> configurer.onInitialize(
        config -> config.onStart(
            Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS,
            () -> config.eventBus().registerDispatchInterceptor(tracefold.eventDispatchInterceptor())));
  }
}
