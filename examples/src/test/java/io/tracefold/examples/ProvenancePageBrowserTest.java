package io.tracefold.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracefold.axon.TracedAggregate;
import io.tracefold.core.testing.Samplers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.stereotype.Aggregate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The provenance page of the {@code tracefold} Actuator endpoint as a person sees it: a Spring
 * Boot application (Axon's auto-configuration, a PostgreSQL event store, Tomcat) with an aggregate
 * of 3,001 events from 31 commands, a fifth of them in traces the sampler dropped; Chromium opens
 * {@code /actuator/tracefold/Ledger/l-1} (it asks for HTML), and the DOM it built is checked, and a
 * screenshot kept in {@code target/}.
 */
class ProvenancePageBrowserTest {

  private static final int COMMANDS = 30;
  private static final int EVENTS_PER_COMMAND = 100;

  private static EmbeddedPostgres postgres;
  private static ConfigurableApplicationContext app;
  private static final List<String> traces = new ArrayList<>();
  private static final Set<String> dropped = new LinkedHashSet<>();

  /** An aggregate whose {@link Record} command applies many events at once. */
  @Aggregate
  @TracedAggregate
  public static class Ledger {
    /** Opens a ledger. */
    public record Open(@TargetAggregateIdentifier String id) {}
    /** Records {@code count} entries. */
    public record Record(@TargetAggregateIdentifier String id, int count) {}
    /** A ledger was opened. */
    public record Opened(String id) {}
    /** An entry was recorded. */
    public record Entry(String id, int number) {}

    @AggregateIdentifier private String id;
    private int entries;

    /** For Axon. */
    public Ledger() {}

    @CommandHandler
    public Ledger(Open command) {
      apply(new Opened(command.id()));
    }

    @CommandHandler
    void handle(Record command) {
      for (int i = 0; i < command.count(); i++) {
        apply(new Entry(id, entries + i + 1));
      }
    }

    @EventSourcingHandler
    void on(Opened event) {
      id = event.id();
    }

    @EventSourcingHandler
    void on(Entry event) {
      entries++;
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Ledger.class)
  static class App {
    @Bean
    InMemorySpanExporter spanExporter() {
      return InMemorySpanExporter.create();
    }

    @Bean
    OpenTelemetrySdk openTelemetry(InMemorySpanExporter exporter) {
      return OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder()
              .setSampler(Samplers.droppingByName("client.send.dropped"))
              .addSpanProcessor(SimpleSpanProcessor.create(exporter))
              .build())
          .build();
    }

    @Bean
    DataSource dataSource() {
      return postgres.getPostgresDatabase();
    }

    @Bean
    JdbcEventStorageEngine eventStorageEngine(DataSource dataSource) {
      JacksonSerializer json = JacksonSerializer.defaultSerializer();
      JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
          .connectionProvider(new DataSourceConnectionProvider(dataSource))
          .transactionManager(NoTransactionManager.INSTANCE)
          .eventSerializer(json)
          .snapshotSerializer(json)
          .schema(EventStoreSetup.SCHEMA)
          .build();
      engine.createSchema(PostgresEventTableFactory.INSTANCE);
      return engine;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    // Durability is not under test here: without a flush per event, writing 3,001 events takes seconds.
    postgres = EmbeddedPostgres.builder()
        .setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off").start();
    app = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.SERVLET)
        .properties(
            "server.port=0",
            "axon.axonserver.enabled=false",
            "axon.update-check.disabled=true",
            "axon.serializer.general=jackson",
            "management.endpoints.web.exposure.include=tracefold",
            "tracefold.provenance.trace-url-template=http://localhost:16686/trace/{traceId}?uiFind={spanId}")
        .run();
    Tracer tracer = app.getBean(OpenTelemetrySdk.class).getTracer("test-client");
    CommandGateway gateway = app.getBean(CommandGateway.class);
    send(tracer, gateway, new Ledger.Open("l-1"), false);
    for (int i = 0; i < COMMANDS; i++) {
      send(tracer, gateway, new Ledger.Record("l-1", EVENTS_PER_COMMAND), i % 5 == 4);
    }
  }

  private static void send(Tracer tracer, CommandGateway gateway, Object command, boolean drop) {
    Span client = tracer.spanBuilder(drop ? "client.send.dropped" : "client.send").setNoParent().startSpan();
    try (Scope ignored = client.makeCurrent()) {
      gateway.sendAndWait(command);
    } finally {
      client.end();
    }
    traces.add(client.getSpanContext().getTraceId());
    if (drop) {
      dropped.add(client.getSpanContext().getTraceId());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void page_aggregateOfThousandsOfEvents_commandsEventsAndStateWithLinksOnlyToSampledTraces() throws Exception {
    Path dir = Path.of("target", "provenance-page");
    HeadlessChromium chromium = HeadlessChromium.require(dir);
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    URI page = URI.create("http://localhost:" + port + "/actuator/tracefold/Ledger/l-1");

    String dom = chromium.dumpDom(page);
    Files.writeString(dir.resolve("ledger.html"), dom);

    assertThat(dom).contains("<body data-kind=\"aggregate\">");
    assertThat(all(dom, "class=\"command\" data-trace=\"([0-9a-f]{32})\"")).containsExactlyElementsOf(traces);
    List<String> sequences = all(dom, "class=\"event[^\"]*\"[^>]*data-seq=\"(\\d+)\"");
    assertThat(sequences).hasSize(1 + COMMANDS * EVENTS_PER_COMMAND).doesNotHaveDuplicates();
    assertThat(sequences.get(0)).isEqualTo("0");
    assertThat(sequences.get(sequences.size() - 1)).isEqualTo(String.valueOf(COMMANDS * EVENTS_PER_COMMAND));
    assertThat(dropped).hasSize(COMMANDS / 5);
    for (String trace : traces) {
      boolean sampled = !dropped.contains(trace);
      assertThat(dom).contains("data-trace=\"" + trace + "\" data-sampled=\"" + sampled + "\"");
      assertThat(dom.contains("href=\"http://localhost:16686/trace/" + trace + "?uiFind="))
          .as("trace link of %s (sampled: %s)", trace, sampled).isEqualTo(sampled);
    }
    assertThat(all(dom, "(class=\"event off\")")).hasSize(COMMANDS / 5 * EVENTS_PER_COMMAND);
    assertThat(dom).containsPattern("id=\"state\"[\\s\\S]*built from 3001 events \\(#0–#3000\\)");
    assertThat(dom).contains("31 commands · 3001 events read");

    Path png = dir.resolve("ledger.png");
    chromium.screenshot(page, png);
    assertThat(Files.size(png)).isGreaterThan(20_000);
  }

  @Test
  void page_unknownAggregate_showsTheErrorNotAnExceptionPage() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require(Path.of("target", "provenance-page"));
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();

    String dom = chromium.dumpDom(URI.create("http://localhost:" + port + "/actuator/tracefold/Ledger/nope"));

    assertThat(dom).contains("<body data-kind=\"error\">").contains("data-status=\"404\"")
        .contains("no events for Ledger 'nope'")
        .doesNotContain("Exception").doesNotContain("Whitelabel");
  }

  private static List<String> all(String text, String regex) {
    List<String> found = new ArrayList<>();
    Matcher matcher = Pattern.compile(regex).matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }
}
