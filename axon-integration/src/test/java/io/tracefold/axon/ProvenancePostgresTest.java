package io.tracefold.axon;

import static io.tracefold.axon.TestPostgres.engine;
import static io.tracefold.axon.TestPostgres.newDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracefold.axon.provenance.AggregateProvenance;
import io.tracefold.axon.provenance.CommandProvenance;
import io.tracefold.axon.provenance.EventProvenance;
import io.tracefold.axon.provenance.Provenance;
import io.tracefold.axon.provenance.ProvenanceException;
import io.tracefold.axon.provenance.TraceLinks;
import io.tracefold.core.testing.Samplers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provenance API on a real PostgreSQL event store (Axon's {@code JdbcEventStorageEngine},
 * Jackson): the commands it reports are exactly the traces whose exported publish spans the
 * events name, also from a process that never saw those spans, across snapshots, under sampling,
 * within its bounds, and bad questions get clear refusals.
 */
class ProvenancePostgresTest {

  private static final String ORDER = "o-1";
  private static final TraceLinks JAEGER = TraceLinks.jaeger("http://jaeger:16686");

  private DataSource db;

  @BeforeEach
  void freshDatabase() throws SQLException {
    db = newDatabase();
  }

  @Test
  void aggregate_threeCommands_listsTheirTracesEventsAndLinksToTheExportedPublishSpans() {
    try (AxonTestApp app = AxonTestApp.start(engine(db))) {
      List<String> traces = new ArrayList<>();
      traces.add(app.send(new Order.PlaceOrder(ORDER)));
      traces.add(app.send(new Order.AddItems(ORDER, 3)));
      traces.add(app.send(new Order.AddItems(ORDER, 2)));

      AggregateProvenance answer = Provenance.builder(app.config).setTraceLinks(JAEGER).build().aggregate("Order", ORDER);

      assertThat(answer.aggregateType()).isEqualTo("Order");
      assertThat(answer.eventsScanned()).isEqualTo(6);
      assertThat(answer.firstSequence()).isZero();
      assertThat(answer.lastSequence()).isEqualTo(5);
      assertThat(answer.truncated()).isFalse();
      assertThat(answer.eventsWithoutContext()).isZero();
      assertThat(answer.eventsWithInvalidContext()).isZero();
      assertThat(answer.notes()).isEmpty();
      assertThat(answer.commands()).extracting(CommandProvenance::traceId).containsExactlyElementsOf(traces);
      assertThat(answer.commands()).extracting(CommandProvenance::eventCount).containsExactly(1L, 3L, 2L);
      assertThat(answer.commands()).extracting(CommandProvenance::firstSequence).containsExactly(0L, 1L, 4L);
      assertThat(answer.commands()).extracting(CommandProvenance::lastSequence).containsExactly(0L, 3L, 5L);
      assertThat(answer.commands().get(1).events()).extracting(EventProvenance::payloadType)
          .containsOnly(Order.ItemAdded.class.getName());
      assertThat(answer.commands().get(0).events().get(0).payloadType()).isEqualTo(Order.OrderPlaced.class.getName());

      Map<String, SpanData> exported = spansById(app.spans());
      List<DomainEventMessage<?>> stored = app.storedEvents(ORDER);
      for (CommandProvenance command : answer.commands()) {
        assertThat(command.sampled()).isTrue();
        assertThat(command.url()).startsWith("http://jaeger:16686/trace/" + command.traceId() + "?uiFind=");
        assertThat(command.firstTimestamp()).isNotNull().isBeforeOrEqualTo(command.lastTimestamp());
        for (EventProvenance event : command.events()) {
          SpanData span = exported.get(event.spanId());
          assertThat(span).as("event %s names an exported span", event.sequence()).isNotNull();
          assertThat(span.getName()).startsWith("EventBus.publishEvent");
          assertThat(span.getTraceId()).isEqualTo(command.traceId());
          assertThat(event.sampled()).isTrue();
          assertThat(event.url()).isEqualTo("http://jaeger:16686/trace/" + event.traceId() + "?uiFind=" + event.spanId());
          DomainEventMessage<?> storedEvent = stored.get((int) event.sequence());
          assertThat(event.eventId()).isEqualTo(storedEvent.getIdentifier());
          assertThat(event.timestamp()).isEqualTo(storedEvent.getTimestamp());
        }
      }
    }
  }

  @Test
  void reverseQuestion_readmeQueryOnTheEventStore_findsTheStatesTheCommandChanged() throws SQLException {
    String invoiceTrace;
    try (AxonTestApp app = AxonTestApp.start(engine(db), c -> c.configureAggregate(Invoice.class))) {
      app.send(new Order.PlaceOrder(ORDER));
      app.send(new Invoice.CreateInvoice("i-1"));
      invoiceTrace = app.send(new Invoice.AddLine("i-1"));
      app.send(new Order.AddItems(ORDER, 2));
    }
    List<String> changed = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement query = connection.prepareStatement(
            "SELECT type, aggregate_identifier, sequence_number FROM domain_event_entry"
                + " WHERE convert_from(meta_data, 'UTF8') LIKE ? ORDER BY global_index")) {
      query.setString(1, "%-" + invoiceTrace + "-%");
      try (java.sql.ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          changed.add(rows.getString(1) + " " + rows.getString(2) + " #" + rows.getLong(3));
        }
      }
    }
    assertThat(changed).containsExactly("Invoice i-1 #1");
  }

  @Test
  void aggregate_askedByAProcessThatNeverSawTheSpans_answersTheSameFromTheStore() {
    AggregateProvenance first;
    try (AxonTestApp writer = AxonTestApp.start(engine(db))) {
      writer.send(new Order.PlaceOrder(ORDER));
      writer.send(new Order.AddItems(ORDER, 4));
      first = Provenance.builder(writer.config).setTraceLinks(JAEGER).build().aggregate("Order", ORDER);
    }
    try (AxonTestApp restarted = AxonTestApp.start(engine(db))) {
      assertThat(restarted.spans()).isEmpty();
      AggregateProvenance again = Provenance.builder(restarted.config).setTraceLinks(JAEGER).build().aggregate("Order", ORDER);
      assertThat(again).isEqualTo(first);
      assertThat(again.commands()).hasSize(2);
    }
  }

  @Test
  void aggregate_withSnapshotsEvery10Events_readsEveryEventFromSequenceZero() {
    try (AxonTestApp app = AxonTestApp.start(engine(db), true, 10)) {
      List<String> traces = new ArrayList<>();
      traces.add(app.send(new Order.PlaceOrder(ORDER)));
      for (int i = 0; i < 12; i++) {
        traces.add(app.send(new Order.AddItems(ORDER, 3)));
      }
      assertThat(app.engine.readSnapshot(ORDER)).isPresent();
      DomainEventStream plain = app.config.eventStore().readEvents(ORDER);
      assertThat(plain.peek().getSequenceNumber()).as("Axon's own read starts at the snapshot").isPositive();

      AggregateProvenance answer = Provenance.builder(app.config).build().aggregate("Order", ORDER);

      assertThat(answer.eventsScanned()).isEqualTo(37);
      assertThat(answer.firstSequence()).isZero();
      assertThat(answer.commands()).extracting(CommandProvenance::traceId).containsExactlyElementsOf(traces);
      assertThat(answer.commands()).allSatisfy(c -> assertThat(c.url()).isNull());
      assertThat(answer.notes()).isEmpty();
    }
  }

  @Test
  void aggregate_underRatioSampling_flagsUnsampledCommandsAndLinksOnlyExportedTraces() {
    Sampler ratio = Sampler.parentBased(Sampler.traceIdRatioBased(0.5));
    try (AxonTestApp app = AxonTestApp.start(engine(db), ratio, 0, b -> b, c -> {})) {
      app.send(new Order.PlaceOrder(ORDER));
      for (int i = 0; i < 24; i++) {
        app.send(new Order.AddItems(ORDER, 1));
      }

      AggregateProvenance answer = Provenance.builder(app.config).setTraceLinks(JAEGER).build().aggregate("Order", ORDER);

      assertThat(answer.commands()).hasSize(25);
      Map<String, SpanData> exported = spansById(app.spans());
      List<String> exportedTraces = app.spans().stream().map(SpanData::getTraceId).distinct().toList();
      for (CommandProvenance command : answer.commands()) {
        assertThat(command.sampled()).isEqualTo(exportedTraces.contains(command.traceId()));
        assertThat(command.url() != null).isEqualTo(command.sampled());
        EventProvenance event = command.events().get(0);
        assertThat(event.sampled()).isEqualTo(exported.containsKey(event.spanId()));
        assertThat(event.url() != null).isEqualTo(event.sampled());
      }
      assertThat(answer.commands()).extracting(CommandProvenance::sampled).contains(true, false);
    }
  }

  @Test
  void aggregate_publishSpansDroppedBySampler_eventsFlaggedUnsampledWithoutLinks() {
    Sampler dropping = Samplers.droppingByName("EventBus.publishEvent(ItemAdded)");
    try (AxonTestApp app = AxonTestApp.start(engine(db), dropping, 0, b -> b, c -> {})) {
      app.send(new Order.PlaceOrder(ORDER));
      app.send(new Order.AddItems(ORDER, 2));

      AggregateProvenance answer = Provenance.builder(app.config).setTraceLinks(JAEGER).build().aggregate("Order", ORDER);

      assertThat(answer.commands()).hasSize(2);
      assertThat(answer.commands().get(0).sampled()).isTrue();
      CommandProvenance addItems = answer.commands().get(1);
      assertThat(addItems.sampled()).isFalse();
      assertThat(addItems.url()).isNull();
      assertThat(addItems.events()).hasSize(2).allSatisfy(e -> {
        assertThat(e.sampled()).isFalse();
        assertThat(e.url()).isNull();
        assertThat(spansById(app.spans())).doesNotContainKey(e.spanId());
      });
    }
  }

  @Test
  void aggregate_longStream_boundedReadsPagesAndCountsWhatIsNotListed() {
    try (AxonTestApp app = AxonTestApp.start(engine(db))) {
      app.send(new Order.PlaceOrder(ORDER));
      for (int i = 0; i < 5; i++) {
        app.send(new Order.AddItems(ORDER, 50));
      }
      Provenance provenance = Provenance.builder(app.config)
          .setMaxEventsScanned(120).setMaxCommands(2).setMaxEventsPerCommand(10).build();

      AggregateProvenance page1 = provenance.aggregate("Order", ORDER);
      assertThat(page1.eventsScanned()).isEqualTo(120);
      assertThat(page1.lastSequence()).isEqualTo(119);
      assertThat(page1.nextSequence()).isEqualTo(120L);
      assertThat(page1.truncated()).isTrue();
      assertThat(page1.commands()).hasSize(2);
      assertThat(page1.commands().get(1).eventCount()).isEqualTo(50);
      assertThat(page1.commands().get(1).events()).hasSize(10);
      assertThat(page1.commands().get(1).eventsNotListed()).isEqualTo(40);
      assertThat(page1.eventsNotListed()).isEqualTo(69);
      assertThat(page1.commandsNotListed()).isEqualTo(2);
      assertThat(page1.notes()).anySatisfy(n -> assertThat(n).contains("ask again from sequence 120"));

      AggregateProvenance page3 = provenance.aggregate("Order", ORDER, 240);
      assertThat(page3.firstSequence()).isEqualTo(240);
      assertThat(page3.lastSequence()).isEqualTo(250);
      assertThat(page3.truncated()).isFalse();
      assertThat(page3.commands()).hasSize(1);
      assertThat(page3.commands().get(0).eventCount()).isEqualTo(11);

      AggregateProvenance beyond = provenance.aggregate("Order", ORDER, 1_000);
      assertThat(beyond.eventsScanned()).isZero();
      assertThat(beyond.notes()).containsExactly("no events from sequence 1000 on");
    }
  }

  @Test
  void aggregate_eventsWithoutAndWithCorruptContext_areCountedNotListed() throws SQLException {
    try (AxonTestApp plain = AxonTestApp.start(engine(db), false, 0)) {
      plain.send(new Order.PlaceOrder(ORDER));
      plain.send(new Order.AddItems(ORDER, 2));
    }
    String traced;
    try (AxonTestApp app = AxonTestApp.start(engine(db))) {
      traced = app.send(new Order.AddItems(ORDER, 3));
    }
    setMetaData(4, "{\"traceparent\": not json");
    setMetaData(5, "{\"traceparent\": \"00-zz-not-a-context\"}");

    try (AxonTestApp app = AxonTestApp.start(engine(db))) {
      AggregateProvenance answer = Provenance.builder(app.config).build().aggregate("Order", ORDER);
      assertThat(answer.eventsScanned()).isEqualTo(6);
      assertThat(answer.eventsWithoutContext()).isEqualTo(3);
      assertThat(answer.eventsWithInvalidContext()).isEqualTo(2);
      assertThat(answer.commands()).singleElement().satisfies(c -> {
        assertThat(c.traceId()).isEqualTo(traced);
        assertThat(c.events()).extracting(EventProvenance::sequence).containsExactly(3L);
      });
    }
  }

  @Test
  void aggregate_badQuestions_getClearRefusals() {
    try (AxonTestApp app = AxonTestApp.start(engine(db), c -> c.configureAggregate(Invoice.class))) {
      app.send(new Order.PlaceOrder(ORDER));
      app.send(new Invoice.CreateInvoice("i-1"));
      Provenance provenance = Provenance.builder(app.config).build();

      assertThat(provenance.aggregateTypes()).containsExactlyInAnyOrder("Order", "Invoice");
      assertRefused(() -> provenance.aggregate("Parcel", ORDER), ProvenanceException.Reason.UNKNOWN_TYPE,
          "unknown aggregate type 'Parcel'");
      assertRefused(() -> provenance.aggregate("Order", "o-404"), ProvenanceException.Reason.UNKNOWN_ID,
          "no events for Order 'o-404'");
      assertRefused(() -> provenance.aggregate("Order", "i-1"), ProvenanceException.Reason.WRONG_TYPE,
          "'i-1' is the id of a Invoice, not of a Order");
      assertRefused(() -> provenance.aggregate("Order", ""), ProvenanceException.Reason.INVALID_INPUT, "empty");
      assertRefused(() -> provenance.aggregate("Order", "x".repeat(5000)), ProvenanceException.Reason.INVALID_INPUT,
          "longer than 1024");
      assertRefused(() -> provenance.aggregate("O".repeat(300), ORDER), ProvenanceException.Reason.INVALID_INPUT,
          "longer than 256");
      assertRefused(() -> provenance.aggregate("Order", ORDER, -1), ProvenanceException.Reason.INVALID_INPUT,
          "from sequence");
      assertThat(provenance.aggregate("Invoice", "i-1").commands()).hasSize(1);
    }
  }

  @Test
  void aggregate_storeThatFails_isRefusedAsStoreFailed() {
    InMemoryEventStorageEngine failing = new InMemoryEventStorageEngine() {
      @Override
      public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        throw new IllegalStateException("connection refused");
      }
    };
    Provenance provenance = Provenance.builder(EmbeddedEventStore.builder().storageEngine(failing).build()).build();
    assertRefused(() -> provenance.aggregate("Order", ORDER), ProvenanceException.Reason.STORE_FAILED,
        "connection refused");
  }

  private static void assertRefused(Runnable question, ProvenanceException.Reason reason, String message) {
    assertThatThrownBy(question::run)
        .isInstanceOfSatisfying(ProvenanceException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  private void setMetaData(long sequence, String json) throws SQLException {
    try (Connection connection = db.getConnection();
        PreparedStatement update =
            connection.prepareStatement("UPDATE domain_event_entry SET meta_data = ? WHERE sequence_number = ?")) {
      update.setBytes(1, json.getBytes(StandardCharsets.UTF_8));
      update.setLong(2, sequence);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  private static Map<String, SpanData> spansById(List<SpanData> spans) {
    Map<String, SpanData> byId = new HashMap<>();
    spans.forEach(s -> byId.put(s.getSpanId(), s));
    return byId;
  }
}
