package io.tracefold.examples;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.axon.provenance.AggregateProvenance;
import io.tracefold.axon.provenance.CommandProvenance;
import io.tracefold.axon.provenance.EntityProvenance;
import io.tracefold.axon.provenance.EventProvenance;
import io.tracefold.axon.provenance.Provenance;
import io.tracefold.axon.provenance.ProvenanceException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The part of the report read from the event store through Tracefold's provenance API: which
 * commands built an aggregate, from its events' stored trace contexts. It needs no span, so it is
 * still true on a restarted process after the first run's spans are gone ({@code --from-store}).
 */
final class StoreReport {

  private StoreReport() {}

  /**
   * Prints the commands behind aggregate {@code id} of {@code type} and returns the answer, or null
   * when the store refused the question (printed). {@code spans}, when there are any, name the
   * commands; {@code walked}, the command traces the span walk reached, is compared with the answer.
   */
  static @Nullable AggregateProvenance printAggregate(
      PrintStream out,
      Provenance provenance,
      String type,
      String id,
      List<SpanData> spans,
      @Nullable Set<String> walked,
      int maxRows) {
    AggregateProvenance answer = ask(out,
        type + " " + id + " — from the event store (Tracefold's Provenance API: true after the traces expire)",
        () -> provenance.aggregate(type, id));
    if (answer == null) {
      return null;
    }
    Map<String, String> commandNames = new HashMap<>();
    for (SpanData span : spans) {
      String name = ProvenanceTree.commandName(span.getName());
      if (name != null) {
        commandNames.putIfAbsent(span.getTraceId(), name);
      }
    }
    long unsampled = answer.commands().stream().filter(c -> !c.sampled()).count();
    out.printf(Locale.ROOT, "  read      events %s (%d) · %d commands · %d unsampled · without context %d · invalid %d%n",
        ProvenanceTree.range(answer.firstSequence(), answer.lastSequence()), answer.eventsScanned(),
        answer.commands().size(), unsampled, answer.eventsWithoutContext(), answer.eventsWithInvalidContext());
    if (walked != null) {
      Set<String> stored = new LinkedHashSet<>();
      answer.commands().forEach(c -> stored.add(c.traceId()));
      out.println(stored.equals(walked)
          ? "  agrees   the same " + stored.size() + " command traces as the span walk above ✓"
          : "  ✗ differs from the span walk: " + stored.size() + " stored command traces, " + walked.size()
              + " reached by links");
    }
    int shown = 0;
    for (CommandProvenance command : answer.commands()) {
      if (maxRows > 0 && shown == maxRows) {
        out.println("  … " + (answer.commands().size() - shown) + " more commands (--full lists them)");
        break;
      }
      shown++;
      Set<String> types = new LinkedHashSet<>();
      for (EventProvenance event : command.events()) {
        types.add(simpleName(event.payloadType()));
      }
      String name = commandNames.getOrDefault(command.traceId(), "command");
      out.printf(Locale.ROOT, "  %-9s %-16s trace %s  %s  %s%s%n",
          ProvenanceTree.range(command.firstSequence(), command.lastSequence()), name, command.traceId(),
          String.join(", ", types), command.firstTimestamp(), command.sampled() ? "" : "  (not sampled)");
    }
    for (String note : answer.notes()) {
      out.println("  note      " + note);
    }
    return answer;
  }

  /** Prints what the lineage store knows about read-model entity {@code id} of {@code type}. */
  static @Nullable EntityProvenance printEntity(PrintStream out, Provenance provenance, String type, String id) {
    EntityProvenance answer =
        ask(out, type + " " + id + " — from the read model's lineage store", () -> provenance.entity(type, id));
    if (answer == null) {
      return null;
    }
    out.printf(Locale.ROOT, "  lineage   %d contributors up to #%d · %d lineage spans · %d pending · without context %d"
            + " · invalid %d · unsampled %d%n",
        answer.contributors(), answer.coveredSequence(), answer.lineageSpans(), answer.pendingContributors(),
        answer.eventsWithoutContext(), answer.eventsWithInvalidContext(), answer.unsampled());
    for (String note : answer.notes()) {
      out.println("  note      " + note);
    }
    return answer;
  }

  /** Prints {@code title} and returns the answer, or prints the refusal and returns null. */
  private static <T> @Nullable T ask(PrintStream out, String title, Supplier<T> question) {
    out.println();
    out.println(title);
    try {
      return question.get();
    } catch (ProvenanceException e) {
      out.println("  ✗ " + e.getMessage());
      return null;
    }
  }

  private static String simpleName(@Nullable String type) {
    if (type == null) {
      return "?";
    }
    return type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
  }
}
