package io.tracefold.examples;

import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.ENTITY_TYPE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPAN_NAME;

import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reverse question, "which states did this command change?", answered from captured spans
 * the way a backend answers it from stored ones (Tempo: {@code { link:traceID = "…" }}; Datadog:
 * backward span links; Jaeger: references): the reconstruction spans that reach the command's
 * event spans by links, directly or through lineage spans.
 *
 * @param traceId the command's trace
 * @param command the command's name, or null
 * @param events how many event spans the command's trace holds
 * @param states per changed entity ({@code Type id}), how many reconstruction spans reach it and
 *     the name of one of them; sorted by entity
 */
record CommandImpact(String traceId, String command, int events, Map<String, Reached> states) {

  /**
   * How a state reaches the command.
   *
   * @param spans how many reconstruction spans of the entity reach the command's events
   * @param spanName the name of one of them
   */
  record Reached(int spans, String spanName) {}

  /** Walks the links of {@code spans} backwards from the event spans of trace {@code traceId}. */
  static CommandImpact of(List<SpanData> spans, String traceId) {
    Map<String, List<SpanData>> linkedFrom = new HashMap<>();
    Deque<String> todo = new ArrayDeque<>();
    String command = null;
    for (SpanData span : spans) {
      for (LinkData link : span.getLinks()) {
        linkedFrom.computeIfAbsent(ProvenanceTree.key(link.getSpanContext()), k -> new ArrayList<>()).add(span);
      }
      if (span.getTraceId().equals(traceId)) {
        if (span.getName().startsWith("EventBus.publishEvent")) {
          todo.add(ProvenanceTree.key(span.getSpanContext()));
        }
        String name = ProvenanceTree.commandName(span.getName());
        if (name != null && command == null) {
          command = name;
        }
      }
    }
    int events = todo.size();
    Set<String> seen = new HashSet<>(todo);
    Map<String, Reached> states = new TreeMap<>();
    while (!todo.isEmpty()) {
      for (SpanData from : linkedFrom.getOrDefault(todo.poll(), List.of())) {
        String key = ProvenanceTree.key(from.getSpanContext());
        if (!seen.add(key)) {
          continue;
        }
        todo.add(key);
        String type = from.getAttributes().get(ENTITY_TYPE);
        String id = from.getAttributes().get(ENTITY_ID);
        if (type != null && id != null && !from.getName().equals(LINEAGE_SPAN_NAME)) {
          states.merge(type + " " + id, new Reached(1, from.getName()), (a, b) -> new Reached(a.spans() + 1, a.spanName()));
        }
      }
    }
    return new CommandImpact(traceId, command == null ? "command" : command, events, states);
  }

  /** Prints the answer. */
  void print(PrintStream out) {
    out.println();
    out.println("Which states did " + command + " (trace " + traceId + ") change? — the reverse question");
    out.println("  events    " + events + " event spans in its trace");
    states.forEach((state, reached) -> out.printf("  state     %-28s reached by %d %s span%s%n", state, reached.spans(),
        reached.spanName(), reached.spans() == 1 ? "" : "s"));
    out.println("  In a backend: Tempo { link:traceID = \"" + traceId + "\" } (the spans linking into this trace),");
    out.println("  Datadog's backward span links, or Jaeger's references of the spans that follow from it.");
  }
}
