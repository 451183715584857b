package io.tracefold.examples.setup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.core.TracefoldAttributes;
import io.tracefold.core.testing.ProvenanceGraph;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The provenance checks of the set-ups, on exported spans only: each reconstruction span (a
 * rehydration or a projection update) reaches, through its links and Tracefold's lineage spans,
 * the event spans of its entity's history up to that point.
 */
public final class ProvenanceChecks {

  /** Name prefix of Axon's rehydration span, which Tracefold links. */
  public static final String REHYDRATION = "Repository.initializeState";

  /** Name prefix of Tracefold's projection update span. */
  public static final String UPDATE = "Projection.update";

  /** Name of Tracefold's publish span of an event (the event span). */
  public static final String EVENT_SPAN = "EventBus.publishEvent";

  private ProvenanceChecks() {}

  /**
   * Asserts, for every exported span named {@code namePrefix} about {@code entityId}, the promise
   * of the README's sampling guide: with {@code c} its {@code tracefold.contributors} (the events
   * behind the state it reconstructed, recorded whatever the sampling), it reaches every
   * <em>exported</em> span among the first {@code c} event spans, nothing else, no lineage link
   * dangles and no event is more than 3 hops away. When every span is exported (sampling
   * probability 1.0) that is exactly the first {@code c} event spans.
   *
   * @param spans every exported span
   * @param eventSpanKeys the entity's event spans in sequence order ({@link ShopClient#eventSpanKeys})
   * @return the spans checked
   */
  public static List<SpanData> assertEachReachesItsEvents(
      List<SpanData> spans, String namePrefix, String entityId, List<String> eventSpanKeys) {
    ProvenanceGraph graph = ProvenanceGraph.of(spans);
    Set<String> exported = new HashSet<>();
    for (SpanData span : spans) {
      exported.add(ProvenanceGraph.key(span.getSpanContext()));
    }
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
