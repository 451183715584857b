package io.tracefold.examples.setup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.core.TracefoldAttributes;
import io.tracefold.core.testing.ProvenanceGraph;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provenance checks of the set-ups, on exported spans only: each reconstruction span (a
 * rehydration or a projection update) reaches, through its links and Tracefold's lineage spans,
 * the event spans of its entity's history up to that point.
 */
public final class ProvenanceChecks {

  /** The message id attribute of Tracefold's {@code EventProcessor.process} spans. */
  private static final io.opentelemetry.api.common.AttributeKey<String> MESSAGE_ID =
      io.opentelemetry.api.common.AttributeKey.stringKey("axon.message.id");

  /** Name prefix of Axon's rehydration span, which Tracefold links. */
  public static final String REHYDRATION = "Repository.initializeState";

  /** Name prefix of Tracefold's projection update span. */
  public static final String UPDATE = "Projection.update";

  /** Name of Tracefold's publish span of an event (the event span). */
  public static final String EVENT_SPAN = "EventBus.publishEvent";

  private ProvenanceChecks() {}

  /**
   * Runs {@link ShopWorkload} and checks what a set-up that exports every span must show: every
   * event span exported; every rehydration (one per command, one per load) and every projection
   * update reaching exactly the event spans of its entity's history, the long history through
   * lineage spans.
   */
  public static void runWorkloadAllSampled(ShopClient client) {
    ShopWorkload.run(client);
    for (String cart : ShopWorkload.carts()) {
      List<String> events = client.eventSpanKeys(cart);
      client.awaitSpan(UPDATE, cart, events.size());
      List<SpanData> spans = client.spans();
      Set<String> exported = keys(spans);
      assertThat(exported).as("every event span of %s exported", cart).containsAll(events);
      assertThat(assertEachReachesItsEvents(spans, REHYDRATION, cart, events))
          .hasSize(ShopWorkload.rehydrations(cart));
      assertThat(assertEachReachesItsEvents(spans, UPDATE, cart, events)).hasSize(events.size());
      assertContributorsCountTheWholeHistory(client, spans, cart);
    }
    // The long history is reached through lineage spans (the 128-link budget is crossed).
    SpanData last = client.awaitSpan(REHYDRATION, ShopWorkload.BIG, ShopWorkload.BIG_COMMANDS + 1);
    ProvenanceGraph.Reach reach = ProvenanceGraph.of(client.spans()).reach(last);
    assertThat(reach.contributors()).hasSize(ShopWorkload.BIG_COMMANDS + 1);
    assertThat(reach.intermediateSpans()).isNotEmpty();
    assertThat(reach.maxHops()).isGreaterThanOrEqualTo(2);
  }

  /**
   * Runs {@link ShopWorkload} under a parent-based trace-id ratio sampler of {@code ratio} (above 0,
   * at most 0.5) and checks the promise of the README's sampling guide: nothing breaks; some event
   * spans are exported and some not; every exported rehydration and update reaches every exported
   * event span of its history; a sampled load (loads are repeated until one is sampled) knows every
   * event, though most of them were recorded by unsampled spans; unsampled reconstructions export
   * nothing: every event whose {@code traceparent} says sampled has its span exported, and nothing
   * at all of the trace of a command whose event says unsampled is.
   *
   * @return the sampled load's rehydration span
   */
  public static SpanData runWorkloadRatioSampled(ShopClient client, double ratio) {
    ShopWorkload.run(client); // nothing breaks: every command, load and read-model update succeeds
    String big = ShopWorkload.BIG;
    int events = ShopWorkload.BIG_COMMANDS + 1;
    // Repeat loads until one is sampled: enough tries that all fail with odds below 1e-20.
    int tries = (int) Math.ceil(Math.log(1e-20) / Math.log(1 - ratio));
    int before = client.spans(REHYDRATION, big).size();
    int loads = 0;
    while (client.spans(REHYDRATION, big).size() == before && loads < tries) {
      assertThat(client.load(big)).isEqualTo(ShopWorkload.items(big));
      loads++;
    }
    List<SpanData> rehydrations = client.spans(REHYDRATION, big);
    assertThat(rehydrations).as("a sampled load in %s tries", loads).hasSizeGreaterThan(before);
    SpanData sampled = rehydrations.get(rehydrations.size() - 1);
    // Recorded whatever the sampling: the load knows every event, though most of their traces (and
    // most reconstructions before it) were not sampled.
    assertThat(sampled.getAttributes().get(TracefoldAttributes.CONTRIBUTORS)).isEqualTo(events);
    assertThat(sampled.getAttributes().get(TracefoldAttributes.CONTEXTS_UNSAMPLED)).isPositive();

    List<SpanData> spans = client.spans();
    List<String> eventKeys = client.eventSpanKeys(big);
    Set<String> exported = keys(spans);
    long exportedEvents = eventKeys.stream().filter(exported::contains).count();
    // (With 201 events at a ratio of 0.5 or less, none or all exported has odds below 1e-60.)
    assertThat(exportedEvents).as("some event spans sampled, some not").isBetween(1L, events - 1L);
    // Every exported rehydration, the sampled load's included, reaches every exported event span
    // of its history; the unsampled ones exported nothing (fewer spans than reconstructions).
    assertThat(assertEachReachesItsEvents(spans, REHYDRATION, big, eventKeys))
        .hasSizeBetween(1, ShopWorkload.rehydrations(big) + loads - 1);
    assertThat(ProvenanceGraph.of(spans).reach(sampled).intermediateSpans()).isNotEmpty();
    assertThat(assertEachReachesItsEvents(spans, UPDATE, big, eventKeys)).hasSizeBetween(1, events - 1);
    for (String cart : ShopWorkload.SMALL) {
      assertEachReachesItsEvents(spans, REHYDRATION, cart, client.eventSpanKeys(cart));
      assertEachReachesItsEvents(spans, UPDATE, cart, client.eventSpanKeys(cart));
    }
    assertContributorsCountTheWholeHistory(client, spans, big);
    assertLineageOnlyUnderExportedReconstructions(spans);
    // Head sampling as the event's traceparent recorded it: a sampled command's event span was
    // exported; of an unsampled command's trace nothing was (no rehydration, no lineage span).
    Set<String> exportedTraces = new HashSet<>();
    for (SpanData span : spans) {
      exportedTraces.add(span.getTraceId());
    }
    for (String cart : ShopWorkload.carts()) {
      for (SpanContext event : client.eventSpanContexts(cart)) {
        if (event.isSampled()) {
          assertThat(exported).as("sampled event span exported").contains(ProvenanceGraph.key(event));
        } else {
          assertThat(exportedTraces).as("unsampled command trace exports nothing").doesNotContain(event.getTraceId());
        }
      }
    }
    return sampled;
  }

  /**
   * Asserts that every exported event span is in the trace of a client's root span ({@link
   * ShopClient#SEND}): the set-up's context propagation carries the client's trace into Axon.
   */
  public static void assertEventSpansInClientTraces(List<SpanData> spans) {
    Set<String> clientTraces = new HashSet<>();
    for (SpanData span : spans) {
      if (span.getName().equals(ShopClient.SEND) && !span.getParentSpanContext().isValid()) {
        clientTraces.add(span.getTraceId());
      }
    }
    assertThat(spans).filteredOn(s -> s.getName().startsWith(EVENT_SPAN))
        .isNotEmpty()
        .allSatisfy(s -> assertThat(clientTraces).contains(s.getTraceId()));
  }

  /** Returns the graph keys of these spans. */
  public static Set<String> keys(List<SpanData> spans) {
    Set<String> keys = new HashSet<>();
    for (SpanData span : spans) {
      keys.add(ProvenanceGraph.key(span.getSpanContext()));
    }
    return keys;
  }

  /**
   * Asserts, for every exported span named {@code namePrefix} about {@code entityId}, the promise
   * of the README's sampling guide: with {@code c} its {@code tracefold.contributors} (the events
   * behind the state it reconstructed, recorded whatever the sampling), it reaches every
   * <em>exported</em> span among the first {@code c} event spans, nothing else, no lineage link
   * dangles and no event is more than 3 hops away. When every span is exported (sampling
   * probability 1.0) that is exactly the first {@code c} event spans.
   *
   * @param spans every exported span
   * @param namePrefix name prefix of the spans to check ({@link #REHYDRATION}, {@link #UPDATE})
   * @param entityId the entity (the cart's id)
   * @param eventSpanKeys the entity's event spans in sequence order ({@link ShopClient#eventSpanKeys})
   * @return the spans checked
   */
  public static List<SpanData> assertEachReachesItsEvents(
      List<SpanData> spans, String namePrefix, String entityId, List<String> eventSpanKeys) {
    ProvenanceGraph graph = ProvenanceGraph.of(spans);
    Set<String> exported = keys(spans);
    List<SpanData> checked = spans.stream()
        .filter(s -> s.getName().startsWith(namePrefix)
            && entityId.equals(s.getAttributes().get(TracefoldAttributes.ENTITY_ID)))
        .toList();
    for (SpanData span : checked) {
      Long contributors = span.getAttributes().get(TracefoldAttributes.CONTRIBUTORS);
      assertThat(contributors).as("contributors of %s", span).isNotNull().isBetween(0L, (long) eventSpanKeys.size());
      Set<String> history = new LinkedHashSet<>(eventSpanKeys.subList(0, contributors.intValue()));
      Set<String> exportedHistory = new LinkedHashSet<>(history);
      exportedHistory.retainAll(exported);
      ProvenanceGraph.Reach reach = graph.reach(span);
      assertThat(reach.dangling()).as("dangling links of %s", span).isEmpty();
      assertThat(reach.contributors()).as("events reached by %s", span)
          .isSubsetOf(history)
          .containsAll(exportedHistory);
      assertThat(reach.maxHops()).as("hops of %s", span).isLessThanOrEqualTo(3);
      for (SpanContext event : reach.contributorContexts()) {
        SpanData target = graph.span(event);
        if (target != null) {
          assertThat(target.getName()).startsWith(EVENT_SPAN);
        }
      }
    }
    assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
    assertThat(graph.spansWithDroppedLinks()).isEmpty();
    return checked;
  }

  /**
   * Asserts that each exported reconstruction of the cart counts its entity's whole history in
   * {@code tracefold.contributors}, however many of the spans before it were sampled: a rehydration
   * in a command's trace counts the events before that command's (the lowest sequence of the events
   * in its trace), a rehydration of a load every stored event, and a projection update the events up
   * to its own (the {@code EventProcessor.process} span, which the update took over or runs below,
   * links the event with its sequence).
   */
  public static void assertContributorsCountTheWholeHistory(ShopClient client, List<SpanData> spans, String cartId) {
    List<SpanContext> events = client.eventSpanContexts(cartId);
    Map<String, Long> firstSequenceByTrace = new HashMap<>();
    for (int i = events.size() - 1; i >= 0; i--) {
      firstSequenceByTrace.put(events.get(i).getTraceId(), (long) i);
    }
    Map<String, SpanData> byId = new HashMap<>();
    for (SpanData span : spans) {
      byId.put(span.getSpanId(), span);
    }
    int checked = 0;
    for (SpanData span : spans) {
      if (!cartId.equals(span.getAttributes().get(TracefoldAttributes.ENTITY_ID))) {
        continue;
      }
      Long contributors = span.getAttributes().get(TracefoldAttributes.CONTRIBUTORS);
      if (span.getName().startsWith(REHYDRATION)) {
        Long before = firstSequenceByTrace.get(span.getTraceId());
        assertThat(contributors).as("contributors of %s", span).isEqualTo(before != null ? before : events.size());
        checked++;
      } else if (span.getName().startsWith(UPDATE)) {
        // The update took over the event's process span, or runs below it.
        SpanData process = span.getAttributes().get(MESSAGE_ID) != null ? span : byId.get(span.getParentSpanId());
        while (process != null && process != span && !process.getName().startsWith("EventProcessor.process")) {
          process = byId.get(process.getParentSpanId()); // Axon's handler span may be in between
        }
        assertThat(process).as("process span above %s", span).isNotNull();
        Long sequence = process.getLinks().get(0).getAttributes().get(TracefoldAttributes.EVENT_SEQUENCE);
        assertThat(contributors).as("contributors of %s", span).isEqualTo(sequence + 1);
        checked++;
      }
    }
    assertThat(checked).as("reconstructions of %s checked", cartId).isPositive();
  }

  /**
   * Asserts that every exported {@code tracefold.lineage} span lives in the trace of an exported
   * reconstruction span: an unsampled reconstruction emits nothing.
   */
  public static void assertLineageOnlyUnderExportedReconstructions(List<SpanData> spans) {
    Set<String> reconstructionTraces = new HashSet<>();
    for (SpanData span : spans) {
      if (span.getName().startsWith(REHYDRATION) || span.getName().startsWith(UPDATE)
          || span.getName().startsWith("StreamingEventProcessor.batch")) {
        reconstructionTraces.add(span.getTraceId());
      }
    }
    List<SpanData> lineage = spans.stream()
        .filter(s -> s.getName().equals(TracefoldAttributes.LINEAGE_SPAN_NAME))
        .toList();
    assertThat(lineage).isNotEmpty();
    assertThat(lineage).allSatisfy(s -> assertThat(reconstructionTraces).contains(s.getTraceId()));
  }
}
