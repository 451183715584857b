package io.tracefold.axon.spring;

import io.tracefold.axon.provenance.AggregateProvenance;
import io.tracefold.axon.provenance.CommandProvenance;
import io.tracefold.axon.provenance.EntityProvenance;
import io.tracefold.axon.provenance.SpanReference;
import io.tracefold.axon.provenance.EventProvenance;
import io.tracefold.axon.provenance.ProvenanceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of provenance answers: plain maps of strings, numbers, booleans and lists, so the
 * shape is fixed here (documented in the README) and needs no Jackson module of the application.
 */
final class ProvenanceJson {

  private ProvenanceJson() {}

  static Map<String, Object> of(AggregateProvenance answer) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", "aggregate");
    json.put("type", answer.aggregateType());
    json.put("id", answer.aggregateId());
    json.put("fromSequence", answer.fromSequence());
    json.put("firstSequence", answer.firstSequence());
    json.put("lastSequence", answer.lastSequence());
    json.put("eventsScanned", answer.eventsScanned());
    json.put("truncated", answer.truncated());
    json.put("nextSequence", answer.nextSequence());
    json.put("eventsWithoutContext", answer.eventsWithoutContext());
    json.put("eventsWithInvalidContext", answer.eventsWithInvalidContext());
    json.put("commandsNotListed", answer.commandsNotListed());
    json.put("eventsNotListed", answer.eventsNotListed());
    List<Object> commands = new ArrayList<>(answer.commands().size());
    for (CommandProvenance command : answer.commands()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("traceId", command.traceId());
      c.put("sampled", command.sampled());
      c.put("url", command.url());
      c.put("firstSequence", command.firstSequence());
      c.put("lastSequence", command.lastSequence());
      c.put("eventCount", command.eventCount());
      c.put("eventsNotListed", command.eventsNotListed());
      c.put("firstTimestamp", text(command.firstTimestamp()));
      c.put("lastTimestamp", text(command.lastTimestamp()));
      List<Object> events = new ArrayList<>(command.events().size());
      for (EventProvenance event : command.events()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("sequence", event.sequence());
        e.put("eventId", event.eventId());
        e.put("payloadType", event.payloadType());
        e.put("timestamp", text(event.timestamp()));
        e.put("traceId", event.traceId());
        e.put("spanId", event.spanId());
        e.put("sampled", event.sampled());
        e.put("url", event.url());
        events.add(e);
      }
      c.put("events", events);
      commands.add(c);
    }
    json.put("commands", commands);
    json.put("notes", answer.notes());
    return json;
  }

  static Map<String, Object> of(EntityProvenance answer) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", "projection-entity");
    json.put("type", answer.entityType());
    json.put("id", answer.entityId());
    json.put("projection", answer.projection());
    json.put("version", answer.version());
    json.put("coveredSequence", answer.coveredSequence());
    json.put("contributors", answer.contributors());
    json.put("eventsWithoutContext", answer.eventsWithoutContext());
    json.put("eventsWithInvalidContext", answer.eventsWithInvalidContext());
    json.put("unsampled", answer.unsampled());
    json.put("corrupt", answer.corrupt());
    json.put("dropped", answer.dropped());
    json.put("lineageSpans", answer.lineageSpans());
    json.put("pendingContributors", answer.pendingContributors());
    json.put("oldestLineageSpan", text(answer.oldestLineageSpan()));
    json.put("firstEventId", answer.firstEventId());
    json.put("lastEventId", answer.lastEventId());
    List<Map<String, Object>> spans = new ArrayList<>();
    for (SpanReference span : answer.spans()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("kind", span.kind());
      s.put("traceId", span.traceId());
      s.put("spanId", span.spanId());
      s.put("sampled", span.sampled());
      s.put("url", span.url());
      spans.add(s);
    }
    json.put("spans", spans);
    json.put("notes", answer.notes());
    return json;
  }

  static Map<String, Object> error(ProvenanceException.Reason reason, int status, String message) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", status);
    json.put("error", code(reason));
    json.put("message", message);
    return json;
  }

  /** Returns the error code of a reason: {@code UNKNOWN_ID} is {@code unknown-id}. */
  static String code(ProvenanceException.Reason reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static @Nullable String text(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
