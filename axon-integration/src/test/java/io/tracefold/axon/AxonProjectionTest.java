package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.REPLAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.core.testing.ProvenanceGraph;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.axonframework.config.Configurer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class AxonProjectionTest {

  static final String UPDATE = "Projection.update(OrderSummaryProjection)";

  enum Processor {
    TRACKING, POOLED, SUBSCRIBING
  }

  @ParameterizedTest
  @EnumSource(Processor.class)
  void projection_interleavedEntitiesFromFiveTraces_eachLatestUpdateReachesExactlyItsEvents(Processor type) {
    OrderSummaryProjection projection = new OrderSummaryProjection();
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine(), withProjection(projection, type, 10))) {
      app.send(new Order.PlaceOrder("o-1"));
      app.send(new Order.PlaceOrder("o-2"));
      app.send(new Order.AddItems("o-1", 3));
      app.send(new Order.PlaceOrder("o-3"));
      app.send(new Order.AddItems("o-2", 2));
      await(() -> projection.handled == 8 && allUpdates(app) == 8);

      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      for (String id : List.of("o-1", "o-2", "o-3")) {
        SpanData latest = latestUpdate(app, id);
        ProvenanceGraph.Reach reach = graph.reach(latest);
        assertThat(reach.dangling()).isEmpty();
        assertThat(reach.contributors()).as(id).isEqualTo(app.eventSpanKeys(id));
        // A root of its own trace, never inside a command's trace.
        assertThat(latest.getParentSpanContext().isValid() ? traceOf(app, latest.getParentSpanId()) : latest.getTraceId())
            .isEqualTo(latest.getTraceId());
        assertThat(commandTraces(app)).doesNotContain(latest.getTraceId());
      }
    }
  }

  @Test
  void projection_500EventsIntoOneEntity_completeWithinBudgetAndBoundedWorkPerUpdate() {
    OrderSummaryProjection projection = new OrderSummaryProjection();
    try (AxonTestApp app =
        AxonTestApp.start(new InMemoryEventStorageEngine(), withProjection(projection, Processor.SUBSCRIBING, 10))) {
      app.send(new Order.PlaceOrder("o-1"));
      for (int i = 0; i < 50; i++) {
        app.send(new Order.AddItems("o-1", 10));
      }
      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      SpanData latest = latestUpdate(app, "o-1");
      ProvenanceGraph.Reach reach = graph.reach(latest);
      assertThat(reach.contributors()).hasSize(501).isEqualTo(app.eventSpanKeys("o-1"));
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.maxHops()).isLessThanOrEqualTo(3);
      assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
      // Links added per update do not grow with history: bounded by the budget, and the lineage
      // spans per update by a small constant.
      List<SpanData> updates = updates(app, "o-1");
      assertThat(updates).hasSize(501);
      assertThat(updates).allSatisfy(u -> assertThat(u.getLinks().size()).isLessThanOrEqualTo(128));
      assertThat(updates).allSatisfy(u -> assertThat(java.util.Objects.requireNonNullElse(u.getAttributes().get(io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS), 0L)).isLessThanOrEqualTo(2));
    }
  }

  @ParameterizedTest
  @EnumSource(Processor.class)
  void projection_firstTracedHandlerTakesOverTheProcessSpan_secondGetsItsOwn(Processor type) {
    OrderSummaryProjection projection = new OrderSummaryProjection();
    OrderTally tally = new OrderTally();
    Consumer<Configurer> both = withProjection(projection, type, 10)
        .andThen(c -> c.eventProcessing(ep -> ep.registerEventHandler(x -> tally)));
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine(), both)) {
      app.send(new Order.PlaceOrder("o-1"));
      app.send(new Order.AddItems("o-1", 20));
      await(() -> projection.handled == 21 && allUpdates(app) == 21 && tallies(app) == 21);

      List<SpanData> updates = updates(app, "o-1");
      List<SpanData> tallies =
          app.spans().stream().filter(s -> s.getName().equals(TALLY)).collect(Collectors.toList());
      // Every event of the processor is processed in one span, and no process span is left over.
      assertThat(app.spans()).noneMatch(s -> s.getName().startsWith("EventProcessor.process"));
      for (SpanData update : updates) {
        assertThat(update.getKind()).isEqualTo(io.opentelemetry.api.trace.SpanKind.CONSUMER);
        assertThat(update.getAttributes().get(io.tracefold.axon.TracefoldSpanFactory.MESSAGE_ID)).isNotNull();
        // Its event is linked once (by the process span), not again by the lineage.
        Map<String, Long> perTarget = update.getLinks().stream()
            .collect(Collectors.groupingBy(l -> l.getSpanContext().getSpanId(), Collectors.counting()));
        assertThat(perTarget.values()).allMatch(count -> count == 1);
      }
      // The second projection of the same event runs in a child of the first one's span.
      Set<String> updateIds = updates.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
      assertThat(tallies).hasSize(21).allSatisfy(t -> assertThat(updateIds).contains(t.getParentSpanId()));
      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      for (SpanData latest : List.of(updates.get(updates.size() - 1), tallies.get(tallies.size() - 1))) {
        ProvenanceGraph.Reach reach = graph.reach(latest);
        assertThat(reach.dangling()).isEmpty();
        assertThat(reach.contributors()).isEqualTo(app.eventSpanKeys("o-1"));
      }
    }
  }

  @Test
  void projection_processSpanDroppedByName_updateRunsInItsOwnSpanAndStillReachesEverything() {
    OrderSummaryProjection projection = new OrderSummaryProjection();
    try (AxonTestApp app = AxonTestApp.start(
        new InMemoryEventStorageEngine(),
        new DropByName("EventProcessor.process"),
        0,
        b -> b,
        withProjection(projection, Processor.SUBSCRIBING, 10))) {
      app.send(new Order.PlaceOrder("o-1"));
      app.send(new Order.AddItems("o-1", 20));

      List<SpanData> updates = updates(app, "o-1");
      assertThat(updates).hasSize(21);
      SpanData latest = updates.get(updates.size() - 1);
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(app.spans()).reach(latest);
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.contributors()).isEqualTo(app.eventSpanKeys("o-1"));
    }
  }

  static final String TALLY = "Projection.update(OrderTally)";

  /** A second traced projection of the order events, in the same processing group. */
  @TracedProjection(entityType = "OrderTally", idProperty = "orderId")
  @ProcessingGroup("summaries")
  static class OrderTally {
    final Map<String, Integer> events = new ConcurrentHashMap<>();

    @EventHandler
    void on(Order.OrderPlaced event) {
      events.merge(event.orderId(), 1, Integer::sum);
    }

    @EventHandler
    void on(Order.ItemAdded event) {
      events.merge(event.orderId(), 1, Integer::sum);
    }
  }

  /** Drops every span whose name starts with a prefix; samples the rest. */
  static final class DropByName implements Sampler {
    private final String prefix;

    DropByName(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name,
        io.opentelemetry.api.trace.SpanKind spanKind, Attributes attributes, List<LinkData> parentLinks) {
      return name.startsWith(prefix) ? SamplingResult.drop() : SamplingResult.recordAndSample();
    }

    @Override
    public String getDescription() {
      return "DropByName{" + prefix + "}";
    }
  }

  private static long tallies(AxonTestApp app) {
    return app.spans().stream().filter(s -> s.getName().equals(TALLY)).count();
  }

  @ParameterizedTest
  @EnumSource(value = Processor.class, names = {"TRACKING", "POOLED"})
  void projection_replayAfterTokenReset_rootsMarkedAndSameReach(Processor type) {
    OrderSummaryProjection projection = new OrderSummaryProjection();
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine(), withProjection(projection, type, 10))) {
      app.send(new Order.PlaceOrder("o-1"));
      app.send(new Order.AddItems("o-1", 140));
      app.send(new Order.PlaceOrder("o-2"));
      app.send(new Order.AddItems("o-2", 4));
      await(() -> projection.handled == 146 && allUpdates(app) == 146);
      int liveSpans = app.spans().size();

      StreamingEventProcessor processor =
          app.config.eventProcessingConfiguration().eventProcessor("summaries", StreamingEventProcessor.class).orElseThrow();
      processor.shutDown();
      processor.resetTokens();
      processor.start();
      try {
        await(() -> projection.handled == 146 && processor.isReplaying() == false && replayUpdates(app).size() >= 146);
      } catch (AssertionError e) {
        throw new AssertionError("handled=" + projection.handled + " replaying=" + processor.isReplaying()
            + " replayUpdates=" + replayUpdates(app).size() + " updates=" + app.spans().stream().filter(x -> x.getName().equals(UPDATE)).count(), e);
      }

      List<SpanData> replayed = replayUpdates(app);
      assertThat(replayed).allSatisfy(s -> assertThat(s.getParentSpanContext().isValid() ? isRootTraceOf(app, s) : true).isTrue());
      assertThat(replayed).noneMatch(s -> commandTraces(app).contains(s.getTraceId()));
      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      for (String id : List.of("o-1", "o-2")) {
        SpanData latest = latestUpdate(app, id);
        assertThat(latest.getAttributes().get(REPLAY)).isTrue();
        ProvenanceGraph.Reach reach = graph.reach(latest);
        assertThat(reach.dangling()).isEmpty();
        assertThat(reach.contributors()).isEqualTo(app.eventSpanKeys(id));
      }
      assertThat(app.spans().size()).isGreaterThan(liveSpans);
    }
  }

  @Test
  void projection_pooledBatchLargerThanBudget_batchSpanReachesAllItsEvents() {
    OrderSummaryProjection projection = new OrderSummaryProjection();
    InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine();
    try (AxonTestApp app = AxonTestApp.start(engine, c -> {})) {
      // Write the history first, then start a pooled processor with batches of 300 over it.
      app.send(new Order.PlaceOrder("o-1"));
      app.send(new Order.AddItems("o-1", 400));
    }
    try (AxonTestApp app = AxonTestApp.start(engine, withProjection(projection, Processor.POOLED, 300))) {
      // A batch span ends after its handlers ran: wait for the spans, not only for the handlers.
      await(() -> projection.handled == 401 && updates(app, "o-1").size() == 401 && batchesReach(app) >= 401);
      List<SpanData> batches = app.spans().stream()
          .filter(s -> s.getName().equals("StreamingEventProcessor.batch"))
          .collect(Collectors.toList());
      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
      SpanData biggest = batches.stream()
          .max((a, b) -> Integer.compare(graph.reach(a).contributors().size(), graph.reach(b).contributors().size()))
          .orElseThrow();
      assertThat(graph.reach(biggest).contributors().size()).isGreaterThan(128);
      assertThat(graph.reach(biggest).dangling()).isEmpty();
      int total = batches.stream().mapToInt(b -> graph.reach(b).contributors().size()).sum();
      assertThat(total).isGreaterThanOrEqualTo(401);
      assertThat(graph.reach(latestUpdate(app, "o-1")).contributors()).hasSize(401);
    }
  }

  /** Returns the number of exported update spans (an update span ends after its handler ran). */
  private static long allUpdates(AxonTestApp app) {
    return app.spans().stream().filter(s -> s.getName().equals(UPDATE)).count();
  }

  /** Returns how many contributors the exported batch spans reach, added up. */
  private static int batchesReach(AxonTestApp app) {
    List<SpanData> spans = app.spans();
    ProvenanceGraph graph = ProvenanceGraph.of(spans);
    return spans.stream()
        .filter(s -> s.getName().equals("StreamingEventProcessor.batch"))
        .mapToInt(b -> graph.reach(b).contributors().size())
        .sum();
  }

  static Consumer<Configurer> withProjection(OrderSummaryProjection projection, Processor type, int batchSize) {
    return configurer -> configurer.eventProcessing(ep -> {
      ep.registerEventHandler(c -> projection);
      switch (type) {
        case TRACKING:
          ep.registerTrackingEventProcessor("summaries");
          break;
        case POOLED:
          ep.registerPooledStreamingEventProcessor(
              "summaries", c -> c.eventStore(), (c, builder) -> builder.batchSize(batchSize).initialSegmentCount(1));
          break;
        default:
          ep.registerSubscribingEventProcessor("summaries");
      }
    });
  }

  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for the projection");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static List<SpanData> updates(AxonTestApp app, String id) {
    return app.spans().stream()
        .filter(s -> s.getName().equals(UPDATE) && id.equals(s.getAttributes().get(ENTITY_ID)))
        .collect(Collectors.toList());
  }

  static SpanData latestUpdate(AxonTestApp app, String id) {
    List<SpanData> updates = updates(app, id);
    assertThat(updates).as("update spans of %s", id).isNotEmpty();
    return updates.get(updates.size() - 1);
  }

  private static List<SpanData> replayUpdates(AxonTestApp app) {
    return app.spans().stream()
        .filter(s -> s.getName().equals(UPDATE) && Boolean.TRUE.equals(s.getAttributes().get(REPLAY)))
        .collect(Collectors.toList());
  }

  private static List<String> commandTraces(AxonTestApp app) {
    return app.spans().stream()
        .filter(s -> s.getName().startsWith("CommandBus.handleCommand"))
        .map(SpanData::getTraceId)
        .collect(Collectors.toList());
  }

  private static String traceOf(AxonTestApp app, String spanId) {
    return app.spans().stream().filter(s -> s.getSpanId().equals(spanId)).map(SpanData::getTraceId).findFirst().orElse("?");
  }

  private static boolean isRootTraceOf(AxonTestApp app, SpanData span) {
    return !commandTraces(app).contains(span.getTraceId());
  }
}
