package io.tracefold.axon.spring;

import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.SNAPSHOT_SEQUENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.axon.AxonTracefold;
import io.tracefold.axon.ProjectionLineageStore;
import io.tracefold.axon.InMemoryProjectionLineageStore;
import io.tracefold.axon.JdbcProjectionLineageStore;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import io.tracefold.core.LinkLimits;
import io.tracefold.core.testing.ProvenanceGraph;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventProcessorSpanFactory;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.modelling.command.DefaultRepositorySpanFactory;
import org.axonframework.modelling.command.RepositorySpanFactory;
import org.axonframework.modelling.command.inspection.AggregateMetaModelFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;

class TracefoldAutoConfigurationTest {

  @Test
  void rehydration_threeCommandsInSeparateTraces_reachesExactlyTheirPublishSpans() {
    ShopApplication.runner().run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(SpanFactory.class)).isSameAs(context.getBean(AxonTracefold.class).spanFactory());
      ShopApplication.Client client = new ShopApplication.Client(context);
      List<String> traces = new ArrayList<>();
      traces.add(client.send(new ShopOrder.OpenOrder("s-1")));
      traces.add(client.send(new ShopOrder.AddItems("s-1", 2)));
      traces.add(client.send(new ShopOrder.AddItems("s-1", 3)));

      assertThat(client.load("s-1")).isEqualTo(5);

      SpanData rehydration = client.latest("Repository.initializeState", "s-1");
      ProvenanceGraph graph = ProvenanceGraph.of(client.spans());
      ProvenanceGraph.Reach reach = graph.reach(rehydration);
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.contributors()).hasSize(6).isEqualTo(client.eventSpanKeys("s-1"));
      assertThat(reach.contributorContexts()).extracting(c -> c.getTraceId()).containsOnly(traces.toArray(new String[0]));
      assertThat(graph.span(reach.contributorContexts().iterator().next()).getName()).startsWith("EventBus.publishEvent");
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(6);
    });
  }

  @Test
  void projection_latestUpdateOfEachEntity_reachesExactlyItsEvents() {
    ShopApplication.runner().run(context -> {
      ShopApplication.Client client = new ShopApplication.Client(context);
      client.send(new ShopOrder.OpenOrder("s-1"));
      client.send(new ShopOrder.OpenOrder("s-2"));
      client.send(new ShopOrder.AddItems("s-1", 3));
      client.send(new ShopOrder.AddItems("s-2", 1));

      assertThat(context.getBean(ShopOrderSummary.class).items).containsEntry("s-1", 3).containsEntry("s-2", 1);
      ProvenanceGraph graph = ProvenanceGraph.of(client.spans());
      for (String id : List.of("s-1", "s-2")) {
        ProvenanceGraph.Reach reach = graph.reach(client.latest("Projection.update(ShopOrderSummary)", id));
        assertThat(reach.dangling()).isEmpty();
        assertThat(reach.contributors()).as(id).isNotEmpty().isEqualTo(client.eventSpanKeys(id));
      }
    });
  }

  @Test
  void snapshot_springSnapshotterCarriesProvenance_rehydrationFromItReachesAllEvents() {
    ShopApplication.runner().withPropertyValues("test.snapshot-threshold=3").run(context -> {
      assertThat(context.getBean(Snapshotter.class)).isInstanceOf(SpringAggregateSnapshotter.class);
      ShopApplication.Client client = new ShopApplication.Client(context);
      client.send(new ShopOrder.OpenOrder("s-1"));
      client.send(new ShopOrder.AddItems("s-1", 5));
      client.send(new ShopOrder.AddItems("s-1", 2));

      DomainEventMessage<?> snapshot =
          context.getBean(InMemoryEventStorageEngine.class).readSnapshot("s-1").orElseThrow();
      assertThat(snapshot.getMetaData()).containsKeys("tracefold.lineage", "tracefold.snapshot");
      client.load("s-1");
      SpanData rehydration = client.latest("Repository.initializeState", "s-1");
      assertThat(rehydration.getAttributes().get(SNAPSHOT_SEQUENCE)).isEqualTo(snapshot.getSequenceNumber());
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(client.spans()).reach(rehydration);
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.contributors()).hasSize(8).isEqualTo(client.eventSpanKeys("s-1"));
    });
  }

  @Test
  void noOpenTelemetryBean_failsFastNamingTheMissingBean() {
    // Without the SDK on the class path: Spring Boot Actuator (on the test class path for the
    // tracefold endpoint) would otherwise declare an OpenTelemetrySdk bean of its own.
    ShopApplication.withoutOpenTelemetry()
        .withClassLoader(new FilteredClassLoader("io.opentelemetry.sdk")).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      assertThat(failure).rootCause()
          .isInstanceOf(NoSuchBeanDefinitionException.class)
          .isInstanceOf(MissingOpenTelemetryException.class)
          .hasMessageContaining("io.opentelemetry.api.OpenTelemetry")
          .hasMessageContaining("Java agent")
          .hasMessageContaining("tracefold.enabled=false");
      // Spring Boot's failure report: Tracefold's analyzer is registered and explains it.
      assertThat(SpringFactoriesLoader.loadFactoryNames(FailureAnalyzer.class, getClass().getClassLoader()))
          .contains(TracefoldFailureAnalyzer.class.getName());
      FailureAnalysis analysis = new TracefoldFailureAnalyzer().analyze(failure);
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains("has no io.opentelemetry.api.OpenTelemetry", "Java agent");
      // The three ways: the agent, a starter's bean with an exporter, a bean of one's own; and the switch.
      assertThat(analysis.getAction())
          .contains("-javaagent:", "GlobalOpenTelemetry.get()", "opentelemetry-spring-boot-starter",
              "micrometer-tracing-bridge-otel", "@Bean OpenTelemetrySdk", "tracefold.open-telemetry",
              "tracefold.enabled=false");
    });
  }

  @Test
  void projectionLineageStore_withADataSource_isDurableInTheReadModelsDatabase() throws Exception {
    javax.sql.DataSource db = io.tracefold.axon.TestPostgresAccess.newDatabase();
    tracefoldOnly()
        .withBean(javax.sql.DataSource.class, () -> db)
        .run(context -> {
          assertThat(context).hasNotFailed();
          ProjectionLineageStore store = context.getBean(ProjectionLineageStore.class);
          assertThat(store).isInstanceOf(JdbcProjectionLineageStore.class);
          // The table was created at start-up; a write lands in the application's database.
          assertThat(store.save("P", "e", null, io.tracefold.core.Lineage.empty().anchoredTo("a", "a"))).isTrue();
          try (java.sql.Connection connection = db.getConnection();
              java.sql.ResultSet row = connection.createStatement()
                  .executeQuery("SELECT count(*) FROM " + JdbcProjectionLineageStore.DEFAULT_TABLE)) {
            row.next();
            assertThat(row.getInt(1)).isEqualTo(1);
          }
        });
    // Without a DataSource: in memory, as before.
    tracefoldOnly()
        .run(context -> assertThat(context.getBean(ProjectionLineageStore.class))
            .isInstanceOf(InMemoryProjectionLineageStore.class));
  }

  @Test
  void projectionLineageStore_afterTheApplicationsSchemaMigration_whichOwnsTheTable() throws Exception {
    javax.sql.DataSource db = io.tracefold.axon.TestPostgresAccess.newDatabase();
    tracefoldOnly()
        .withConfiguration(AutoConfigurations.of(
            org.springframework.boot.autoconfigure.sql.init.SqlInitializationAutoConfiguration.class))
        .withBean(javax.sql.DataSource.class, () -> db)
        .withPropertyValues("spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:tracefold-migration.sql")
        .run(context -> {
          ProjectionLineageStore store = context.getBean(ProjectionLineageStore.class);
          assertThat(context).hasNotFailed();
          // The migration ran first (it would fail on a table we had created), ours found the table.
          assertThat(store.save("P", "e", null, io.tracefold.core.Lineage.empty().anchoredTo("a", "a"))).isTrue();
          try (java.sql.Connection connection = db.getConnection();
              java.sql.ResultSet row = connection.createStatement().executeQuery(
                  "SELECT created_by_migration FROM " + JdbcProjectionLineageStore.DEFAULT_TABLE)) {
            assertThat(row.next()).isTrue();
            assertThat(row.getBoolean(1)).isTrue();
          }
        });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void inMemoryLineageBesidePersistentTokens_warnsNamingTheProcessingGroup(CapturedOutput output) {
    // Any token store but the in-memory one keeps tokens across a restart (here a stand-in).
    org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore delegate =
        new org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore();
    org.axonframework.eventhandling.tokenstore.TokenStore persistent =
        (org.axonframework.eventhandling.tokenstore.TokenStore) java.lang.reflect.Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {org.axonframework.eventhandling.tokenstore.TokenStore.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(delegate, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
    ShopApplication.runner()
        .withBean(org.axonframework.eventhandling.tokenstore.TokenStore.class, () -> persistent)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(output).contains("processing group(s) [" + ShopOrderSummary.GROUP + "] keep their tokens");
        });
    // The application's default (in-memory) token store: nothing to warn about.
    int before = output.getAll().length();
    ShopApplication.runner().run(context ->
        assertThat(output.getAll().substring(before)).doesNotContain("keep their tokens"));
  }

  /** Tracefold's auto-configuration alone (lazily), with the few beans Axon would give it. */
  private ApplicationContextRunner tracefoldOnly() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TracefoldAutoConfiguration.class))
        .withBean(OpenTelemetry.class, OpenTelemetry::noop)
        .withBean(org.axonframework.messaging.annotation.ParameterResolverFactory.class,
            () -> org.axonframework.messaging.annotation.ClasspathParameterResolverFactory.forClass(getClass()))
        .withBean(org.axonframework.messaging.annotation.HandlerDefinition.class,
            () -> org.axonframework.messaging.annotation.ClasspathHandlerDefinition.forClass(getClass()))
        .withPropertyValues("spring.main.lazy-initialization=true");
  }

  @Test
  void eventPublishSpansFalse_eventsCarryTheHandlerSpanAndTheLoadReachesEachCommandOnce() {
    ShopApplication.runner().withPropertyValues("tracefold.event-publish-spans=false").run(context -> {
      ShopApplication.Client client = new ShopApplication.Client(context);
      client.send(new ShopOrder.OpenOrder("s-1"));
      client.send(new ShopOrder.AddItems("s-1", 2));
      client.send(new ShopOrder.AddItems("s-1", 3));
      assertThat(client.load("s-1")).isEqualTo(5);

      assertThat(client.spans()).noneSatisfy(s -> assertThat(s.getName()).startsWith("EventBus.publishEvent"));
      SpanData rehydration = client.latest("Repository.initializeState", "s-1");
      ProvenanceGraph graph = ProvenanceGraph.of(client.spans());
      ProvenanceGraph.Reach reach = graph.reach(rehydration);
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.contributors()).hasSize(3).isEqualTo(client.eventSpanKeys("s-1"));
      // The span current when each command applied its events: the command bus's handler span for
      // the creating command, the aggregate's handler span (Axon's Spring set-up makes one) after.
      assertThat(reach.contributorContexts()).extracting(c -> graph.span(c).getName())
          .containsExactlyInAnyOrder("CommandBus.handleCommand(OpenOrder)", "ShopOrder.handle(AddItems)",
              "ShopOrder.handle(AddItems)");
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(3);
    });
  }

  @Test
  void configurationMetadata_describesEveryProperty() throws Exception {
    String metadata;
    try (java.io.InputStream in =
        getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
      metadata = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    for (String property : List.of("enabled", "open-telemetry", "max-direct-links", "overflow-policy", "baggage-allowlist",
        "copy-metadata-to-span-attributes", "event-publish-spans", "checkpoint-cache-size", "checkpoint-cache-bytes", "lineage-max-age",
        "max-pending-contributors")) {
      int at = metadata.indexOf("\"name\": \"tracefold." + property + "\"");
      assertThat(at).as(property).isNotNegative();
      int end = metadata.indexOf('}', at);
      int start = metadata.lastIndexOf('{', at);
      assertThat(metadata.substring(start, end)).as(property).contains("\"description\"");
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void openTelemetryBeanWithoutSpanProcessor_startsAndWarnsThatNothingIsExported(CapturedOutput output) {
    OpenTelemetrySdk exporterLess =
        OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
    ShopApplication.withoutOpenTelemetry().withBean(OpenTelemetry.class, () -> exporterLess).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(output).contains("Tracefold emits through the application's bean '")
          .contains("(" + OpenTelemetrySdk.class.getName() + ")");
      assertThat(output).contains("exports nothing (its SDK has no span processor), so no span of Tracefold or Axon");
    });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void openTelemetryBeanWithExporter_startsAndSaysWhichInstanceWithoutWarning(CapturedOutput output) {
    ShopApplication.runner().run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(output).contains("Tracefold emits through the application's bean 'openTelemetry' (declared by "
          + ShopApplication.Telemetry.class.getName() + ")");
      assertThat(output).doesNotContain("exports nothing").doesNotContain("Java agent");
    });
  }

  @Test
  void disabled_backsOffEntirely_axonRunsWithItsOwnDefaults() {
    ShopApplication.withoutOpenTelemetry().withPropertyValues("tracefold.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(AxonTracefold.class).doesNotHaveBean(AggregateMetaModelFactory.class);
      assertThat(context.getBean(SpanFactory.class)).isSameAs(NoOpSpanFactory.INSTANCE);
      ShopApplication.Client client = new ShopApplication.Client(context);
      client.send(new ShopOrder.OpenOrder("s-1"));
      assertThat(client.load("s-1")).isZero();
      assertThat(client.storedEvents("s-1").get(0).getMetaData()).doesNotContainKey("traceparent");
    });
  }

  @Test
  void userEventStoreWithoutEventBusSpanFactory_eventContextFallbackGivesEveryEventItsContext() {
    ShopApplication.runner().withUserConfiguration(OwnEventStore.class).run(context -> {
      assertThat(context.getBean(EventStore.class)).isSameAs(context.getBean("ownEventStore"));
      ShopApplication.Client client = new ShopApplication.Client(context);
      client.send(new ShopOrder.OpenOrder("s-1"));
      client.send(new ShopOrder.AddItems("s-1", 2));
      client.load("s-1");

      assertThat(client.storedEvents("s-1")).allSatisfy(e -> assertThat(e.getMetaData()).containsKey("traceparent"));
      assertThat(client.spans().stream().filter(s -> s.getName().startsWith("EventBus.publishEvent"))).hasSize(3);
      ProvenanceGraph.Reach reach =
          ProvenanceGraph.of(client.spans()).reach(client.latest("Repository.initializeState", "s-1"));
      assertThat(reach.contributors()).hasSize(3).isEqualTo(client.eventSpanKeys("s-1"));
    });
    // Replaced by name: a bean called tracefoldEventDispatchInterceptor takes the fallback's place.
    ShopApplication.runner().withUserConfiguration(OwnEventStore.class, NoFallback.class).run(context -> {
      new ShopApplication.Client(context).send(new ShopOrder.OpenOrder("s-1"));
      assertThat(new ShopApplication.Client(context).storedEvents("s-1").get(0).getMetaData())
          .doesNotContainKey("traceparent");
    });
  }

  @Test
  void userRepositorySpanFactory_replacesOnlyThatPiece() {
    // The AxonTracefold bean is a ConfigurerModule, which Axon applies to its Spring configurer: it
    // must register nothing there, or it would override this user bean.
    ShopApplication.runner().withUserConfiguration(OwnRepositorySpans.class).run(context -> {
      assertThat(context.getBean(RepositorySpanFactory.class)).isSameAs(context.getBean("ownRepositorySpanFactory"));
      assertThat(context.getBean(EventProcessorSpanFactory.class).getClass().getName()).startsWith("io.tracefold");
      ShopApplication.Client client = new ShopApplication.Client(context);
      client.send(new ShopOrder.OpenOrder("s-1"));
      client.send(new ShopOrder.AddItems("s-1", 2));
      client.load("s-1");

      // Axon's plain initializeState span: no Tracefold attributes, no links; events still carry context.
      SpanData rehydration = client.latest(s -> s.getName().startsWith("Repository.initializeState"), "rehydration");
      assertThat(rehydration.getAttributes().get(ENTITY_ID)).isNull();
      assertThat(rehydration.getLinks()).isEmpty();
      assertThat(client.eventSpanKeys("s-1")).hasSize(3);
      // The projection, another piece, is still traced.
      assertThat(client.latest("Projection.update(ShopOrderSummary)", "s-1")).isNotNull();
    });
  }

  @Test
  void userAxonTracefold_isTheOneEveryPieceComesFrom() {
    ShopApplication.runner().withUserConfiguration(OwnAxonTracefold.class).run(context -> {
      AxonTracefold own = context.getBean(AxonTracefold.class);
      assertThat(own.tracefold().getLinkLimits().getMaxDirectLinks()).isEqualTo(4);
      assertThat(context.getBean(SpanFactory.class)).isSameAs(own.spanFactory());
      ShopApplication.Client client = new ShopApplication.Client(context);
      client.send(new ShopOrder.OpenOrder("s-1"));
      client.send(new ShopOrder.AddItems("s-1", 9));
      client.load("s-1");
      SpanData rehydration = client.latest("Repository.initializeState", "s-1");
      ProvenanceGraph graph = ProvenanceGraph.of(client.spans());
      assertThat(graph.reach(rehydration).contributors()).isEqualTo(client.eventSpanKeys("s-1"));
      assertThat(rehydration.getLinks()).hasSizeLessThanOrEqualTo(4);
    });
  }

  @Test
  void properties_boundAndValidatedAtStartup() {
    ShopApplication.runner()
        .withPropertyValues(
            "tracefold.max-direct-links=5",
            "tracefold.overflow-policy=KEEP_LATEST_LOSSY",
            "tracefold.baggage-allowlist=tenant,region",
            "tracefold.checkpoint-cache-size=0",
            "tracefold.checkpoint-cache-bytes=8MB",
            "tracefold.lineage-max-age=6h",
            "tracefold.max-pending-contributors=256")
        .run(context -> {
          TracefoldProperties properties = context.getBean(TracefoldProperties.class);
          assertThat(properties.getBaggageAllowlist()).containsExactly("tenant", "region");
          assertThat(properties.getCheckpointCacheBytes().toMegabytes()).isEqualTo(8);
          assertThat(properties.getLineageMaxAge()).isEqualTo(java.time.Duration.ofHours(6));
          AxonTracefold tracefold = context.getBean(AxonTracefold.class);
          assertThat(tracefold.tracefold().getLinkLimits().getMaxDirectLinks()).isEqualTo(5);
          assertThat(tracefold.tracefold().getLinkLimits().getOverflowPolicy().name()).isEqualTo("KEEP_LATEST_LOSSY");
          assertThat(tracefold.tracefold().getLinkLimits().getMaxPendingContributors()).isEqualTo(256);
        });
    for (String invalid : new String[] {
        "tracefold.lineage-max-age=0s", "tracefold.checkpoint-cache-bytes=-1B", "tracefold.max-pending-contributors=1"}) {
      String property = invalid.substring(0, invalid.indexOf('='));
      ShopApplication.runner().withPropertyValues(invalid).run(context -> {
        assertThat(context.getStartupFailure()).as(invalid).rootCause()
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageContaining(property);
        // The chain is the invalid setting's exception, not an IllegalStateException from initCause.
        assertThat(org.assertj.core.util.Throwables.getStackTrace(context.getStartupFailure()))
            .doesNotContain("Can't overwrite cause");
      });
    }
    ShopApplication.runner().withPropertyValues("tracefold.max-direct-links=1").run(context ->
        assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageContaining("tracefold.max-direct-links"));
    ShopApplication.runner().withPropertyValues("tracefold.checkpoint-cache-size=-1").run(context ->
        assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("tracefold.checkpoint-cache-size"));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnEventStore {
    @Bean
    EmbeddedEventStore ownEventStore(InMemoryEventStorageEngine engine) {
      // Built without the event-bus span factory: no publish spans of its own.
      return EmbeddedEventStore.builder().storageEngine(engine).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class NoFallback {
    @Bean(TracefoldAutoConfiguration.EVENT_DISPATCH_INTERCEPTOR_BEAN)
    ConfigurerModule noFallback() {
      return configurer -> {};
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRepositorySpans {
    @Bean
    RepositorySpanFactory ownRepositorySpanFactory(SpanFactory spanFactory) {
      return DefaultRepositorySpanFactory.builder().spanFactory(spanFactory).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnAxonTracefold {
    @Bean
    AxonTracefold ownAxonTracefold(OpenTelemetry openTelemetry) {
      return AxonTracefold.builder(openTelemetry)
          .setLinkLimits(LinkLimits.getDefault().toBuilder().setMaxDirectLinks(4).build())
          .build();
    }
  }
}
