package io.tracefold.examples;

import static io.tracefold.core.TracefoldAttributes.CONTEXTS_INVALID;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_MISSING;
import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;
import static io.tracefold.core.TracefoldAttributes.SNAPSHOT_SEQUENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracefold.axon.provenance.AggregateProvenance;
import io.tracefold.axon.provenance.CommandProvenance;
import io.tracefold.core.internal.ParsedTraceparent;
import io.tracefold.core.internal.W3CTraceContext;
import io.tracefold.core.testing.ProvenanceGraph;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the example's scripted workload, smaller than the default but still crossing the 128-link
 * budget and taking a snapshot, and checks its report against the exported spans and the event
 * store: the printed tree and the HTML graph reach exactly the events of the explained entity.
 */
class FulfilmentExampleTest {

  private static final Path OUT = Path.of("target", "example-test");
  private static final Pattern EVENT_ROW =
      Pattern.compile("(\\w+) +trace ([0-9a-f]{32})  #(\\d+)(?:–#(\\d+))? ");
  private static final Pattern DATA_EDGE =
      Pattern.compile("<path class=\"edge[^\"]*\" d=\"[^\"]*\" data-from=\"([^\"]+)\" data-to=\"([^\"]+)\"");
  private static final Pattern DATA_NODE =
      Pattern.compile("<g class=\"node[^\"]*\" data-kind=\"([a-z]+)\" data-id=\"([^\"]+)\"([^>]*)>");

  /** An event as the store holds it: sequence number and the trace/span its context names. */
  private record StoredEvent(long sequence, String traceId, String key) {}

  /** The in-memory run, shared by the tests that look at it from different sides. */
  private static Run memory;

  @BeforeAll
  static void runInMemory() throws Exception {
    memory = run(new ExampleOptions(3, 50, 150, false, null, null, null, null, OUT.resolve("memory.html"), true, 7, false));
  }

  @Test
  void run_inMemoryStore_crossesTheBudgetSnapshotsAndStaysConsistent() {
    List<StoredEvent> stored = memory.stored.get("espresso");
    assertThat(stored).hasSizeGreaterThan(150);
    assertThat(memory.report.snapshots()).isPositive();
    assertThat(memory.exported).anySatisfy(span -> {
      assertThat(span.getName()).isEqualTo("Repository.initializeState(StockItem)");
      assertThat(span.getAttributes().get(LINEAGE_SPANS)).isPositive();
    });
    assertThat(memory.exported).anySatisfy(span -> {
      assertThat(span.getName()).isEqualTo("Snapshotter.createSnapshot(StockItem)");
      assertThat(span.getAttributes().get(ENTITY_ID)).isEqualTo("espresso");
    });
    assertThat(memory.output).contains("crossed the 128-link budget", "◆ snapshot of StockItem espresso");
    // Loads from the in-memory snapshot start from a copy: the stored snapshot is never mutated.
    assertThat(memory.report.consistent()).isTrue();
    assertThat(memory.report.workload().failures()).isZero();
  }

  @Test
  void provenanceTrees_inMemoryStore_reachExactlyTheEntitysStoredEvents() {
    List<StoredEvent> stored = memory.stored.get("espresso");
    ProvenanceTree rehydration = memory.report.rehydration();
    assertThat(rehydration).isNotNull();
    assertThat(rehydration.root().span().getAttributes().get(SNAPSHOT_SEQUENCE)).isNotNull();
    assertMatchesStore(rehydration, stored, memory.exported);
    ProvenanceTree projection = memory.report.projection();
    assertThat(projection).isNotNull();
    assertThat(projection.entityType()).isEqualTo("StockLevel");
    assertMatchesStore(projection, stored, memory.exported);
  }

  @Test
  void printedTree_fullInMemoryRun_listsEveryEventOnceWithItsCommandAndTrace() {
    List<StoredEvent> stored = memory.stored.get("espresso");
    Set<String> expectedRows = stored.stream().map(e -> e.traceId() + "#" + e.sequence()).collect(Collectors.toSet());
    String[] trees = memory.output.split("which commands built this state\\?");
    assertThat(trees).hasSize(3);
    for (String tree : List.of(trees[1], trees[2])) {
      assertThat(printedRows(tree, memory.exported)).isEqualTo(expectedRows);
      assertThat(tree).contains("= contributors ✓", "contributors " + stored.size()).doesNotContain("more event");
    }
  }

  @Test
  void html_inMemoryRun_rendersInChromiumWithExactlyTheEntitysEventsAndCommands() throws Exception {
    assertHtmlRenders(memory.report.html(), memory.stored.get("espresso"), "memory");
  }

  @Test
  void run_embeddedPostgres_snapshotReadBackFromTheDatabaseStillReachesEveryEvent() throws Exception {
    ExampleOptions options =
        new ExampleOptions(3, 50, 60, true, null, null, null, null, OUT.resolve("postgres.html"), false, 11, false);
    Run run = run(options);

    List<StoredEvent> stored = run.stored.get("espresso");
    assertThat(run.output).contains("PostgreSQL (embedded");
    assertThat(run.report.consistent()).isTrue();
    ProvenanceTree rehydration = run.report.rehydration();
    assertThat(rehydration).isNotNull();
    SpanData root = rehydration.root().span();
    assertThat(root.getAttributes().get(SNAPSHOT_SEQUENCE)).as("started from a deserialized snapshot").isNotNull();
    assertThat(root.getAttributes().get(CONTEXTS_MISSING)).isNull();
    assertThat(root.getAttributes().get(CONTRIBUTORS)).isGreaterThan(128);
    assertMatchesStore(rehydration, stored, run.exported);
    assertMatchesStore(run.report.projection(), stored, run.exported);
    // Without --full, each span shows a few commands and sums up the rest.
    assertThat(run.output).contains("more events from");
  }

  @Test
  void storeReport_inMemoryRun_apiAgreesWithTheSpanWalkAndTheReverseQuestionWithTheGraph() {
    AggregateProvenance stored = memory.report.stored();
    assertThat(stored).isNotNull();
    List<StoredEvent> events = memory.stored.get("espresso");
    assertThat(stored.eventsScanned()).isEqualTo(events.size());
    assertThat(stored.commands()).extracting(CommandProvenance::traceId)
        .containsExactlyElementsOf(events.stream().map(StoredEvent::traceId).distinct().toList());
    assertThat(stored.commands()).extracting(CommandProvenance::traceId).containsExactlyInAnyOrderElementsOf(
        memory.report.rehydration().commands().stream().map(ProvenanceTree.CommandRef::traceId).toList());
    assertThat(memory.output).contains("agrees   the same " + stored.commands().size() + " command traces");

    // The reverse question, against the test's own graph walk: exactly the entities whose
    // reconstruction spans reach one of the command's event spans.
    CommandImpact impact = memory.report.impact();
    assertThat(impact).isNotNull();
    assertThat(impact.command()).isEqualTo("ReserveStock");
    ProvenanceGraph graph = ProvenanceGraph.of(memory.exported);
    Set<String> commandEvents = memory.exported.stream()
        .filter(s -> s.getTraceId().equals(impact.traceId()) && s.getName().startsWith("EventBus.publishEvent"))
        .map(s -> ProvenanceGraph.key(s.getSpanContext())).collect(Collectors.toSet());
    assertThat(commandEvents).hasSize(impact.events()).isNotEmpty();
    Map<String, Integer> expected = new java.util.TreeMap<>();
    for (SpanData span : memory.exported) {
      String type = span.getAttributes().get(io.tracefold.core.TracefoldAttributes.ENTITY_TYPE);
      String id = span.getAttributes().get(io.tracefold.core.TracefoldAttributes.ENTITY_ID);
      if (type != null && id != null && !span.getName().equals(io.tracefold.core.TracefoldAttributes.LINEAGE_SPAN_NAME)
          && graph.reach(span).contributors().stream().anyMatch(commandEvents::contains)) {
        expected.merge(type + " " + id, 1, Integer::sum);
      }
    }
    assertThat(impact.states().keySet()).containsExactlyElementsOf(expected.keySet())
        .contains("StockItem espresso", "StockLevel espresso");
    impact.states().forEach((state, reached) -> assertThat(reached.spans()).as(state).isEqualTo(expected.get(state)));
    assertThat(memory.output).contains("Which states did ReserveStock (trace " + impact.traceId() + ") change?");
  }

  @Test
  void fromStore_restartedProcessOnTheSamePostgres_reportsTheSameCommandsWithoutTheirSpans() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      Run first = run(new ExampleOptions(2, 20, 1000, true, url, null, null, null, OUT.resolve("first.html"), false, 3,
          false));
      AggregateProvenance stored = first.report.stored();
      assertThat(stored).isNotNull();
      String id = stored.aggregateId();
      assertThat(id).as("a shared store: ids with the run's suffix").startsWith("espresso-");
      assertThat(stored.commands()).extracting(CommandProvenance::traceId).containsExactlyInAnyOrderElementsOf(
          first.report.rehydration().commands().stream().map(ProvenanceTree.CommandRef::traceId).toList());

      Run second = run(new ExampleOptions(2, 20, 1000, true, url, null, null, "StockItem:" + id,
          OUT.resolve("second.html"), false, 3, true));

      assertThat(second.report.workload()).isNull();
      assertThat(second.report.stored()).isEqualTo(stored);
      Set<String> traces = stored.commands().stream().map(CommandProvenance::traceId).collect(Collectors.toSet());
      assertThat(second.exported).noneMatch(s -> traces.contains(s.getTraceId()));
      assertThat(second.output)
          .contains("No workload (--from-store)")
          .contains("StockItem " + id + " — from the event store")
          .contains(stored.commands().size() + " commands")
          .contains("StockLevel " + id + " — from the read model's lineage store")
          .contains("trace " + stored.commands().get(0).traceId());
    }
  }

  /** Reachability over the exported spans equals the stored events; the tree agrees with it. */
  private static void assertMatchesStore(ProvenanceTree tree, List<StoredEvent> stored, List<SpanData> exported) {
    Set<String> storedKeys = stored.stream().map(StoredEvent::key).collect(Collectors.toSet());
    ProvenanceGraph graph = ProvenanceGraph.of(exported);
    SpanData root = graph.span(tree.root().span().getSpanContext());
    assertThat(root).as("the tree's root was exported").isNotNull();
    ProvenanceGraph.Reach reach = graph.reach(root);
    assertThat(reach.dangling()).isEmpty();
    assertThat(reach.contributors()).isEqualTo(storedKeys);
    assertThat(tree.contributors()).isEqualTo(storedKeys);
    assertThat(tree.dangling()).isEmpty();
    assertThat(tree.count(CONTRIBUTORS)).isEqualTo(stored.size());
    assertThat(tree.count(CONTEXTS_INVALID)).isZero();
    assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
    assertThat(graph.spansWithDroppedLinks()).isEmpty();
    // Every command named is the command handled in that trace, and its range holds its events.
    Map<String, String> handled = handledCommands(exported);
    int events = 0;
    for (ProvenanceTree.CommandRef command : tree.commands()) {
      assertThat(handled.get(command.traceId())).isEqualTo(command.name());
      events += command.events();
    }
    assertThat(events).isEqualTo(stored.size());
  }

  private static Map<String, String> handledCommands(List<SpanData> spans) {
    Map<String, String> handled = new LinkedHashMap<>();
    for (SpanData span : spans) {
      String name = span.getName();
      if (name.startsWith("CommandBus.handleCommand(")) {
        handled.put(span.getTraceId(), name.substring(name.indexOf('(') + 1, name.length() - 1));
      }
    }
    return handled;
  }

  /** Returns "trace#sequence" for every event of every event row of a printed tree. */
  private static Set<String> printedRows(String tree, List<SpanData> exported) {
    Map<String, String> handled = handledCommands(exported);
    Set<String> rows = new HashSet<>();
    Matcher row = EVENT_ROW.matcher(tree);
    while (row.find()) {
      String trace = row.group(2);
      assertThat(handled.get(trace)).as("command of printed trace %s", trace).isEqualTo(row.group(1));
      long first = Long.parseLong(row.group(3));
      long last = row.group(4) == null ? first : Long.parseLong(row.group(4));
      for (long sequence = first; sequence <= last; sequence++) {
        assertThat(rows.add(trace + "#" + sequence)).as("printed once: %s #%s", trace, sequence).isTrue();
      }
    }
    return rows;
  }

  private static void assertHtmlRenders(Path html, List<StoredEvent> stored, String name) throws Exception {
    // Self-contained: no URL but the SVG namespace name, nothing to load, nothing to fetch.
    assertThat(Files.readString(html).replace("http://www.w3.org/2000/svg", ""))
        .doesNotContain("http://", "https://", "src=", "href=", "url(", "@import", "fetch(", "XMLHttpRequest");
    HeadlessChromium chromium = HeadlessChromium.require(OUT.resolve("chromium-" + name));
    chromium.screenshot(html, OUT.resolve(name + ".png"));
    assertThat(Files.size(OUT.resolve(name + ".png"))).isGreaterThan(20_000);
    String dom = chromium.dumpDom(html);
    assertThat(dom).contains("data-rendered=\"true\"");
    Map<String, List<String>> idsByKind = new LinkedHashMap<>();
    List<String> roots = new ArrayList<>();
    List<String> rootIds = new ArrayList<>();
    Matcher node = DATA_NODE.matcher(dom);
    while (node.find()) {
      idsByKind.computeIfAbsent(node.group(1), k -> new ArrayList<>()).add(node.group(2));
      if (node.group(3).contains("data-root=\"true\"")) {
        roots.add(node.group(1));
        rootIds.add(node.group(2));
      }
    }
    assertThat(new HashSet<>(idsByKind.get("event")))
        .hasSize(idsByKind.get("event").size())
        .isEqualTo(stored.stream().map(StoredEvent::key).collect(Collectors.toSet()));
    assertThat(new HashSet<>(idsByKind.get("command")))
        .isEqualTo(stored.stream().map(e -> "cmd:" + e.traceId()).collect(Collectors.toSet()));
    assertThat(roots).containsExactlyInAnyOrder("rehydration", "projection");
    assertThat(idsByKind.get("snapshot")).isNotEmpty();
    assertThat(idsByKind.get("lineage")).isNotEmpty();
    // Following the drawn edges back from each reconstruction reaches exactly the stored events.
    Map<String, List<String>> inputs = new HashMap<>();
    Matcher edge = DATA_EDGE.matcher(dom);
    while (edge.find()) {
      inputs.computeIfAbsent(edge.group(2), k -> new ArrayList<>()).add(edge.group(1));
    }
    Set<String> events = new HashSet<>(idsByKind.get("event"));
    for (String root : rootIds) {
      Set<String> reached = new HashSet<>();
      ArrayDeque<String> todo = new ArrayDeque<>(List.of(root));
      while (!todo.isEmpty()) {
        for (String input : inputs.getOrDefault(todo.pop(), List.of())) {
          if (reached.add(input) && !events.contains(input)) {
            todo.push(input);
          }
        }
      }
      reached.retainAll(events);
      assertThat(reached).as("events drawn as reaching %s", root)
          .isEqualTo(stored.stream().map(StoredEvent::key).collect(Collectors.toSet()));
    }
  }

  /** One run of the example, with its output, exported spans and the store's events per SKU. */
  private static final class Run {
    FulfilmentExample.Report report;
    String output;
    List<SpanData> exported;
    Map<String, List<StoredEvent>> stored = new LinkedHashMap<>();
  }

  private static Run run(ExampleOptions options) throws Exception {
    Files.createDirectories(OUT);
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Run run = new Run();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      run.report = FulfilmentExample.run(options, out, List.of(SimpleSpanProcessor.create(exporter)), app -> {
        for (Workload.Product product : Workload.CATALOGUE) {
          run.stored.put(product.sku(), storedEvents(app, product.sku()));
        }
        // Before the SDK shuts down: shutting down empties the in-memory exporter.
        run.exported = exporter.getFinishedSpanItems();
      });
    }
    run.output = bytes.toString(StandardCharsets.UTF_8);
    if (run.exported == null) {
      run.exported = exporter.getFinishedSpanItems();
    }
    Files.writeString(OUT.resolve(options.html().getFileName() + ".txt"), run.output);
    return run;
  }

  private static List<StoredEvent> storedEvents(FulfilmentApp app, String aggregateId) {
    List<StoredEvent> events = new ArrayList<>();
    DomainEventStream stream = app.store.engine.readEvents(aggregateId, 0);
    while (stream.hasNext()) {
      DomainEventMessage<?> event = stream.next();
      ParsedTraceparent parsed = new ParsedTraceparent();
      Object traceparent = event.getMetaData().get(W3CTraceContext.TRACEPARENT);
      assertThat(traceparent instanceof CharSequence
          && W3CTraceContext.parseTraceparent((CharSequence) traceparent, parsed)).isTrue();
      events.add(new StoredEvent(
          event.getSequenceNumber(), parsed.toSpanContext(null).getTraceId(),
          ProvenanceGraph.key(parsed.toSpanContext(null))));
    }
    return events;
  }
}
