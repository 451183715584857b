package io.tracefold.core;

import static io.tracefold.core.TracefoldAttributes.EVENT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.EVENT_TYPE;
import static io.tracefold.core.TracefoldAttributes.LINKS_DIRECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pending contributors are their own span contexts, held as primitives: what reaches the SDK and
 * the encoded state must be exactly the event's context, as OpenTelemetry's own propagator reads it.
 */
class LineageContributorTest {

  @RegisterExtension static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  @Test
  void link_contributorContexts_equalPropagatorsReading() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    SplittableRandom random = new SplittableRandom(7);
    String[] traceparents = new String[40];
    for (int i = 0; i < traceparents.length; i++) {
      // High bits set too, so a sign error in the hex conversion would show.
      traceparents[i] = String.format("00-%016x%016x-%016x-%s", random.nextLong() | Long.MIN_VALUE,
          random.nextLong(), random.nextLong() | 1, i % 2 == 0 ? "01" : "00");
    }
    LinkCollector collector = tracefold.newCollector();
    for (int i = 0; i < traceparents.length; i++) {
      collector.offer(traceparents[i], i == 3 ? "vendor=value" : null, i, "ItemAdded");
    }
    Span span = tracefold.getTracer().spanBuilder("load").startSpan();
    Lineage state = tracefold.link(span, collector, Lineage.empty());
    span.end();

    List<LinkData> links = otel.getSpans().get(0).getLinks();
    assertThat(links).hasSize(traceparents.length);
    for (int i = 0; i < traceparents.length; i++) {
      SpanContext expected = propagatorReading(traceparents[i], i == 3 ? "vendor=value" : null);
      SpanContext linked = links.get(i).getSpanContext();
      assertThat(linked.getTraceId()).isEqualTo(expected.getTraceId());
      assertThat(linked.getSpanId()).isEqualTo(expected.getSpanId());
      assertThat(linked.getTraceFlags()).isEqualTo(expected.getTraceFlags());
      assertThat(linked.isSampled()).isEqualTo(expected.isSampled());
      assertThat(linked.getTraceState().asMap()).isEqualTo(expected.getTraceState().asMap());
      assertThat(linked.isValid()).isTrue();
      assertThat(linked.isRemote()).isTrue();
      assertThat(linked.getTraceIdBytes()).isEqualTo(expected.getTraceIdBytes());
      assertThat(links.get(i).getAttributes().get(EVENT_SEQUENCE)).isEqualTo(i);
      assertThat(links.get(i).getAttributes().get(EVENT_TYPE)).isEqualTo("ItemAdded");
    }
    // The encoded state carries the same ids (trace state is not kept in encoded form).
    Lineage decoded = Lineage.decode(state.encode());
    assertThat(decoded).isEqualTo(state);
    for (int i = 0; i < traceparents.length; i++) {
      SpanContext context = decoded.pending().get(i).spanContext();
      assertThat("00-" + context.getTraceId() + '-' + context.getSpanId() + '-'
          + context.getTraceFlags().asHex()).isEqualTo(traceparents[i]);
    }
  }

  @Test
  void link_nothingNew_returnsTheSameStateAndLinksItAgain() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    LinkCollector collector = tracefold.newCollector();
    // Two full nodes and 6 pending contributors: fewer than a tail node is emitted for.
    for (int i = 0; i < 262; i++) {
      collector.offer(String.format("00-%032x-%016x-01", i + 1, i + 1), null, i, "ItemAdded");
    }
    LinkOptions replayable = LinkOptions.builder().setReplayable(true).build();
    Span first = tracefold.getTracer().spanBuilder("first").startSpan();
    Lineage state = tracefold.link(first, collector, Lineage.empty(), replayable);
    first.end();
    assertThat(state.peakCount()).isEqualTo(2);
    assertThat(state.pendingCount()).isEqualTo(6);
    assertThat(state.tail()).isNull();

    Span again = tracefold.getTracer().spanBuilder("again").startSpan();
    LinkCollector none = tracefold.newCollector();
    none.skipCovered(261);
    Lineage next = tracefold.link(again, none, state, replayable);
    again.end();

    assertThat(next).isSameAs(state);
    SpanData repeated = otel.getSpans().get(otel.getSpans().size() - 1);
    assertThat(repeated.getName()).isEqualTo("again");
    assertThat(repeated.getLinks()).hasSize(2 + 6);
    assertThat(repeated.getAttributes().get(LINKS_DIRECT)).isEqualTo(8);
    // The pending contributors' links are the recorded ones, attributes included.
    assertThat(repeated.getLinks().get(2).getAttributes().get(EVENT_SEQUENCE)).isEqualTo(256);
    assertThat(repeated.getLinks().get(7).getSpanContext().getSpanId()).isEqualTo(String.format("%016x", 262));
  }

  @Test
  void link_manyPending_putsThemUnderATailNodeThatLaterReconstructionsLink() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    LinkCollector collector = tracefold.newCollector();
    for (int i = 0; i < 300; i++) {
      collector.offer(String.format("00-%032x-%016x-01", i + 1, i + 1), null, i, "ItemAdded");
    }
    LinkOptions replayable = LinkOptions.builder().setReplayable(true).build();
    Span first = tracefold.getTracer().spanBuilder("first").startSpan();
    Lineage state = tracefold.link(first, collector, Lineage.empty(), replayable);
    first.end();
    assertThat(state.peakCount()).isEqualTo(2 + 1);
    assertThat(state.pendingCount()).isEqualTo(44);
    assertThat(state.tail()).isNotNull();
    assertThat(state.tail().contributors()).isEqualTo(44);
    assertThat(state.tail().firstSequence()).isEqualTo(256);
    assertThat(state.tail().lastSequence()).isEqualTo(299);
    SpanData tail = otel.getSpans().stream()
        .filter(s -> s.getSpanContext().getSpanId().equals(state.tail().spanContext().getSpanId()))
        .findFirst().orElseThrow();
    assertThat(tail.getLinks()).hasSize(44);
    assertThat(tail.getLinks().get(43).getSpanContext().getSpanId()).isEqualTo(String.format("%016x", 300));
    assertThat(Lineage.decode(state.encode())).isEqualTo(state);

    Span again = tracefold.getTracer().spanBuilder("again").startSpan();
    LinkCollector none = tracefold.newCollector();
    none.skipCovered(299);
    Lineage next = tracefold.link(again, none, state, replayable);
    again.end();

    assertThat(next).isSameAs(state);
    SpanData repeated = otel.getSpans().get(otel.getSpans().size() - 1);
    assertThat(repeated.getLinks()).hasSize(3);
    assertThat(repeated.getLinks().get(2).getSpanContext()).isEqualTo(state.tail().spanContext());
    assertThat(repeated.getLinks().get(2).getAttributes().get(TracefoldAttributes.LINEAGE_FIRST_SEQUENCE))
        .isEqualTo(256);
    assertThat(repeated.getAttributes().get(TracefoldAttributes.LINEAGE_SPANS)).isNull();

    // Fewer new contributors than a tail node is emitted for are linked beside the tail node.
    LinkCollector three = tracefold.newCollector();
    three.skipCovered(299);
    for (int i = 300; i < 303; i++) {
      three.offer(String.format("00-%032x-%016x-01", i + 1, i + 1), null, i, "ItemAdded");
    }
    Span more = tracefold.getTracer().spanBuilder("more").startSpan();
    Lineage after = tracefold.link(more, three, state, replayable);
    more.end();
    assertThat(after.tail()).isSameAs(state.tail());
    assertThat(after.pendingCount()).isEqualTo(47);
    SpanData moreData = otel.getSpans().get(otel.getSpans().size() - 1);
    assertThat(moreData.getLinks()).hasSize(3 + 3);
    assertThat(moreData.getAttributes().get(TracefoldAttributes.LINEAGE_SPANS)).isNull();
  }

  @Test
  void link_updatesLinkingTheirOwnEvents_reachEveryEventExactlyOnce() {
    // A read-model entity's updates link their own new events directly (or their caller does): a
    // tail node emitted by such an update must leave those out, or the update reaches them twice.
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    for (boolean byCaller : new boolean[] {false, true}) {
      LinkOptions options = LinkOptions.builder().setNewLinkedByCaller(byCaller).build();
      Lineage state = Lineage.empty();
      int tails = 0;
      for (int i = 0; i < 3 * LineageEngine.TAIL_MIN_LOOSE; i++) {
        otel.clearSpans();
        LinkCollector collector = tracefold.newCollector();
        collector.offer(String.format("00-%032x-%016x-01", i + 1, i + 1), null, i, "ItemAdded");
        Span update = tracefold.getTracer().spanBuilder("update").startSpan();
        if (byCaller) {
          update.addLink(SpanContext.createFromRemoteParent(String.format("%032x", i + 1),
              String.format("%016x", i + 1), TraceFlags.getSampled(), TraceState.getDefault()));
        }
        LineageNode before = state.tail();
        state = tracefold.link(update, collector, state, options);
        update.end();
        if (state.tail() != before) {
          tails++;
        }
        Map<String, SpanData> spans = new HashMap<>();
        otel.getSpans().forEach(s -> spans.put(s.getSpanId(), s));
        List<String> reached = new ArrayList<>();
        String tailId = state.tail() == null ? "" : state.tail().spanContext().getSpanId();
        for (LinkData link : spans.get(update.getSpanContext().getSpanId()).getLinks()) {
          String id = link.getSpanContext().getSpanId();
          SpanData tail = id.equals(tailId) ? spans.get(id) : null;
          if (tail != null) { // emitted by this update: what it links counts as reached from here
            tail.getLinks().forEach(l -> reached.add(l.getSpanContext().getSpanId()));
          } else {
            reached.add(id);
          }
        }
        assertThat(reached).as("update %s (by caller: %s)", i, byCaller).doesNotHaveDuplicates()
            .contains(String.format("%016x", i + 1));
      }
      assertThat(tails).as("tail nodes emitted (by caller: %s)", byCaller).isGreaterThanOrEqualTo(2);
      assertThat(state.tail().lastSequence()).isLessThan(3 * LineageEngine.TAIL_MIN_LOOSE - 1);
    }
  }

  @Test
  void linkAttributes_otherLimit_builtForThatLimit() {
    LineageContributor contributor = new LineageContributor(1, 2, 3, TraceFlags.getSampled().asByte(), 9, "E");
    LinkLimits three = LinkLimits.getDefault();
    LinkLimits one = LinkLimits.builder().setMaxAttributesPerLink(1).build();

    assertThat(contributor.linkAttributes(three).size()).isEqualTo(3);
    assertThat(contributor.linkAttributes(one).size()).isEqualTo(1);
    assertThat(contributor.linkAttributes(three).get(EVENT_SEQUENCE)).isEqualTo(9);
  }

  private static SpanContext propagatorReading(String traceparent, @Nullable String tracestate) {
    Map<String, String> carrier = tracestate == null
        ? Map.of("traceparent", traceparent)
        : Map.of("traceparent", traceparent, "tracestate", tracestate);
    Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, GETTER);
    return Span.fromContext(context).getSpanContext();
  }
}
