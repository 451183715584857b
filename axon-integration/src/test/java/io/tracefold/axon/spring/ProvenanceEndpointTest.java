package io.tracefold.axon.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.axon.StoredEvents;
import io.tracefold.axon.TestPostgresAccess;
import io.tracefold.axon.provenance.Provenance;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The {@code tracefold} Actuator endpoint end to end: a Spring Boot application with Axon's
 * starter on a real PostgreSQL event store (JDBC, Jackson, snapshots every 5 events), Tracefold's
 * JDBC lineage store on the same database, Tomcat on a random port, asked over HTTP as a person
 * or a tool would.
 */
@SpringBootTest(
    classes = ProvenanceEndpointTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "axon.axonserver.enabled=false",
      "axon.update-check.disabled=true",
      "axon.serializer.general=jackson",
      "axon.eventhandling.processors." + ShopOrderSummary.GROUP + ".mode=subscribing",
      "management.endpoints.web.exposure.include=tracefold",
      "tracefold.provenance.trace-url-template=http://jaeger:16686/trace/{traceId}?uiFind={spanId}",
      "tracefold.provenance.max-events-scanned=500"
    })
class ProvenanceEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired ApplicationContext context;
  @Autowired JdbcEventStorageEngine engine;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({ShopOrder.class, ShopOrderSummary.class, ShopApplication.Telemetry.class})
  static class App {
    @Bean
    DataSource dataSource() throws SQLException {
      return TestPostgresAccess.newDatabase();
    }

    @Bean
    JdbcEventStorageEngine eventStorageEngine(DataSource dataSource) {
      return TestPostgresAccess.engine(dataSource);
    }

    @Bean(ShopOrder.SNAPSHOT_TRIGGER)
    SnapshotTriggerDefinition shopOrderSnapshotTrigger(Snapshotter snapshotter) {
      return new EventCountSnapshotTriggerDefinition(snapshotter, 5);
    }
  }

  @Test
  void aggregate_json_listsTheCommandsThatBuiltItFromTheStoreWithLinksToExportedSpans() throws Exception {
    ShopApplication.Client client = new ShopApplication.Client(context);
    List<String> traces = new ArrayList<>();
    traces.add(client.send(new ShopOrder.OpenOrder("o-1")));
    for (int i = 0; i < 4; i++) {
      traces.add(client.send(new ShopOrder.AddItems("o-1", 3)));
    }
    assertThat(engine.readSnapshot("o-1")).as("a snapshot was taken").isPresent();

    HttpResponse<String> response = get("/actuator/tracefold/ShopOrder/o-1", "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode json = JSON.readTree(response.body());
    assertThat(json.get("kind").asText()).isEqualTo("aggregate");
    assertThat(json.get("eventsScanned").asLong()).isEqualTo(13);
    assertThat(json.get("firstSequence").asLong()).as("snapshot bypassed").isZero();
    assertThat(json.get("truncated").asBoolean()).isFalse();
    List<String> commandTraces = new ArrayList<>();
    json.get("commands").forEach(c -> commandTraces.add(c.get("traceId").asText()));
    assertThat(commandTraces).containsExactlyElementsOf(traces);
    Set<String> exportedSpanIds = client.spans().stream().map(SpanData::getSpanId).collect(Collectors.toSet());
    List<DomainEventMessage<?>> stored = StoredEvents.of(engine, "o-1");
    json.get("commands").forEach(c -> {
      assertThat(c.get("url").asText()).startsWith("http://jaeger:16686/trace/" + c.get("traceId").asText());
      c.get("events").forEach(e -> {
        assertThat(exportedSpanIds).contains(e.get("spanId").asText());
        assertThat(e.get("url").asText()).endsWith("?uiFind=" + e.get("spanId").asText());
        DomainEventMessage<?> event = stored.get(e.get("sequence").asInt());
        assertThat(e.get("eventId").asText()).isEqualTo(event.getIdentifier());
        assertThat(e.get("payloadType").asText()).isEqualTo(event.getPayloadType().getName());
      });
    });
    assertThat(json.get("commands").get(1).get("eventCount").asLong()).isEqualTo(3);

    // Tools that accept anything get JSON too.
    assertThat(JSON.readTree(get("/actuator/tracefold/ShopOrder/o-1", "*/*").body()).get("eventsScanned").asLong())
        .isEqualTo(13);
  }

  @Test
  void aggregate_enormousStream_answeredInBoundedPages() throws Exception {
    ShopApplication.Client client = new ShopApplication.Client(context);
    client.send(new ShopOrder.OpenOrder("big"));
    for (int i = 0; i < 6; i++) {
      client.send(new ShopOrder.AddItems("big", 200));
    }

    JsonNode page1 = JSON.readTree(get("/actuator/tracefold/ShopOrder/big", "application/json").body());
    assertThat(page1.get("eventsScanned").asLong()).isEqualTo(500);
    assertThat(page1.get("truncated").asBoolean()).isTrue();
    assertThat(page1.get("nextSequence").asLong()).isEqualTo(500);
    JsonNode page3 = JSON.readTree(get("/actuator/tracefold/ShopOrder/big?from=1000", "application/json").body());
    assertThat(page3.get("firstSequence").asLong()).isEqualTo(1000);
    assertThat(page3.get("lastSequence").asLong()).isEqualTo(1200);
    assertThat(page3.get("truncated").asBoolean()).isFalse();
  }

  @Test
  void badQuestions_clearJsonErrorsWithTheRightStatus() throws Exception {
    new ShopApplication.Client(context).send(new ShopOrder.OpenOrder("o-2"));
    engine.appendEvents(new GenericDomainEventMessage<>("Parcel", "p-1", 0, new ShopOrder.OrderOpened("p-1")));

    assertError(get("/actuator/tracefold/Parcel/p-1", "application/json"), 404, "unknown-type",
        "unknown aggregate type 'Parcel'");
    assertError(get("/actuator/tracefold/ShopOrder/nope", "application/json"), 404, "unknown-id",
        "no events for ShopOrder 'nope'");
    assertError(get("/actuator/tracefold/ShopOrder/p-1", "application/json"), 404, "wrong-type",
        "'p-1' is the id of a Parcel, not of a ShopOrder");
    assertError(get("/actuator/tracefold/ShopOrder/o-2?from=x1", "application/json"), 400, "invalid-input", "from");
    assertError(get("/actuator/tracefold/ShopOrder/o-2?from=-3", "application/json"), 400, "invalid-input", "from");
    assertError(get("/actuator/tracefold/ShopOrder/" + "x".repeat(2000), "application/json"), 400, "invalid-input",
        "longer than 1024");
    assertError(get("/actuator/tracefold/ShopOrderSummary/nope", "application/json"), 404, "unknown-id",
        "no lineage stored for ShopOrderSummary 'nope'");

    // A browser gets the error as a page, everything from the request escaped.
    HttpResponse<String> page = get("/actuator/tracefold/" + enc("<img src=x onerror=alert(1)>") + "/o-2", "text/html");
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.body()).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img");
  }

  @Test
  void projectionEntity_json_saysWhatItsLineageStoreKnows() throws Exception {
    ShopApplication.Client client = new ShopApplication.Client(context);
    client.send(new ShopOrder.OpenOrder("o-3"));
    client.send(new ShopOrder.AddItems("o-3", 2));

    HttpResponse<String> response = get("/actuator/tracefold/ShopOrderSummary/o-3", "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode json = JSON.readTree(response.body());
    assertThat(json.get("kind").asText()).isEqualTo("projection-entity");
    assertThat(json.get("projection").asText()).isEqualTo(ShopOrderSummary.class.getName());
    assertThat(json.get("contributors").asLong()).isEqualTo(3);
    assertThat(json.get("coveredSequence").asLong()).isEqualTo(2);
    assertThat(json.get("notes").get(0).asText()).contains("not the list of commands");
    // Under the link budget every contributor is still pending: the entity's spans are exactly the
    // event spans its aggregate's stored events name (what the aggregate answer reads from the store).
    Set<String> entitySpans = new java.util.TreeSet<>();
    json.get("spans").forEach(span -> {
      assertThat(span.get("kind").asText()).isEqualTo("event");
      assertThat(span.get("sampled").asBoolean()).isTrue();
      entitySpans.add(span.get("spanId").asText());
    });
    Set<String> eventSpans = new java.util.TreeSet<>();
    JSON.readTree(get("/actuator/tracefold/ShopOrder/o-3", "application/json").body()).get("commands")
        .forEach(command -> command.get("events").forEach(event -> eventSpans.add(event.get("spanId").asText())));
    assertThat(entitySpans).hasSize(3).isEqualTo(eventSpans);

    HttpResponse<String> page = get("/actuator/tracefold/ShopOrderSummary/o-3", "text/html,*/*;q=0.8");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<body data-kind=\"projection-entity\">")
        .contains("<tr><td>contributors (event spans reached)</td><td>3</td></tr>")
        .contains(ShopOrderSummary.class.getName())
        .contains("event span " + entitySpans.iterator().next());
  }

  @Test
  void idContainingSlashes_answeredForTheWholeRestOfThePath() throws Exception {
    ShopApplication.Client client = new ShopApplication.Client(context);
    client.send(new ShopOrder.OpenOrder("tenant-7/o-5"));
    client.send(new ShopOrder.AddItems("tenant-7/o-5", 1));

    HttpResponse<String> aggregate = get("/actuator/tracefold/ShopOrder/tenant-7/o-5", "application/json");
    assertThat(aggregate.statusCode()).as(aggregate.body()).isEqualTo(200);
    JsonNode json = JSON.readTree(aggregate.body());
    assertThat(json.get("id").asText()).isEqualTo("tenant-7/o-5");
    assertThat(json.get("lastSequence").asLong()).isEqualTo(1);

    HttpResponse<String> entity = get("/actuator/tracefold/ShopOrderSummary/tenant-7/o-5", "application/json");
    assertThat(entity.statusCode()).as(entity.body()).isEqualTo(200);
    assertThat(JSON.readTree(entity.body()).get("contributors").asLong()).isEqualTo(2);

    // Only the first segment after the type is not enough: "tenant-7" is no order.
    assertError(get("/actuator/tracefold/ShopOrder/tenant-7", "application/json"), 404, "unknown-id",
        "no events for ShopOrder 'tenant-7'");
  }

  @Test
  void index_listsTheTypesItAnswersFor() throws Exception {
    JsonNode json = JSON.readTree(get("/actuator/tracefold", "application/json").body());
    assertThat(json.get("aggregateTypes").toString()).isEqualTo("[\"ShopOrder\"]");
    assertThat(json.get("entityTypes").toString()).isEqualTo("[\"ShopOrderSummary\"]");
    assertThat(context.getBean(Provenance.class).maxEventsScanned()).isEqualTo(500);
  }

  private static void assertError(HttpResponse<String> response, int status, String code, String message)
      throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode json = JSON.readTree(response.body());
    assertThat(json.get("error").asText()).isEqualTo(code);
    assertThat(json.get("status").asInt()).isEqualTo(status);
    assertThat(json.get("message").asText()).contains(message);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Accept", accept).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
