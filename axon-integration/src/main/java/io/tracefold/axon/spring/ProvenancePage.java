package io.tracefold.axon.spring;

import io.tracefold.axon.provenance.AggregateProvenance;
import io.tracefold.axon.provenance.CommandProvenance;
import io.tracefold.axon.provenance.EntityProvenance;
import io.tracefold.axon.provenance.SpanReference;
import io.tracefold.axon.provenance.EventProvenance;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The provenance page: one self-contained HTML document (inline CSS, no script, no external
 * asset) reading left to right as commands → events → state, in the colours of the example's
 * provenance graph. Every command links into the trace UI when its spans were sampled. Everything
 * that comes from outside (ids, payload types, messages, URLs) is escaped.
 *
 * <p>DOM contract (tested): {@code body[data-kind]} is {@code aggregate}, {@code projection-entity},
 * {@code index} or {@code error}; each command is {@code .command[data-trace][data-sampled]},
 * each event {@code .event[data-seq][data-sampled]}, the state {@code #state}.
 */
final class ProvenancePage {

  private ProvenancePage() {}

  static String aggregate(AggregateProvenance answer) {
    String title = answer.aggregateType() + " " + answer.aggregateId();
    StringBuilder body = new StringBuilder(4096 + answer.commands().size() * 512);
    body.append("<header><h1>Provenance of ").append(esc(answer.aggregateType())).append(" <code>")
        .append(esc(answer.aggregateId())).append("</code></h1><div class=\"counts\" id=\"summary\">")
        .append(answer.commands().size()).append(" commands · ").append(answer.eventsScanned())
        .append(" events read").append(answer.eventsScanned() > 0
            ? " (#" + answer.firstSequence() + "–#" + answer.lastSequence() + ")" : "")
        .append(" · without context ").append(answer.eventsWithoutContext())
        .append(" · invalid context ").append(answer.eventsWithInvalidContext()).append("</div>");
    legend(body);
    notes(body, answer.notes());
    body.append("</header><main class=\"flow\"><div class=\"rows\">")
        .append("<div class=\"col-titles\"><span>commands</span><span>events</span></div>");
    for (CommandProvenance command : answer.commands()) {
      body.append("<section class=\"row\"><div class=\"command\" data-trace=\"").append(esc(command.traceId()))
          .append("\" data-sampled=\"").append(command.sampled()).append("\"><div class=\"bar\"></div><div>")
          .append("<div><code title=\"trace id\">").append(esc(command.traceId())).append("</code></div><div class=\"meta\">")
          .append(range(command.firstSequence(), command.lastSequence())).append(" · ").append(command.eventCount())
          .append(command.eventCount() == 1 ? " event" : " events").append(" · ").append(esc(time(command.firstTimestamp())))
          .append("</div><div>");
      if (command.url() != null) {
        body.append("<a class=\"trace-link\" href=\"").append(esc(command.url()))
            .append("\" target=\"_blank\" rel=\"noopener noreferrer\">open trace ↗</a>");
      } else if (!command.sampled()) {
        body.append("<span class=\"unsampled\">not sampled: no trace to open</span>");
      }
      body.append("</div></div></div><div class=\"arrow\">→</div><div class=\"events\">");
      for (EventProvenance event : command.events()) {
        String label = "#" + event.sequence() + " " + simpleName(event.payloadType());
        String tooltip = (event.payloadType() == null ? "" : event.payloadType()) + " · span " + event.spanId()
            + " · " + time(event.timestamp()) + (event.sampled() ? "" : " · not sampled");
        if (event.url() != null) {
          body.append("<a class=\"event\" href=\"").append(esc(event.url()))
              .append("\" target=\"_blank\" rel=\"noopener noreferrer\"");
        } else {
          body.append("<span class=\"event").append(event.sampled() ? "" : " off").append('"');
        }
        body.append(" data-seq=\"").append(event.sequence()).append("\" data-sampled=\"").append(event.sampled())
            .append("\" title=\"").append(esc(tooltip)).append("\"><i></i>").append(esc(label))
            .append(event.url() != null ? "</a>" : "</span>");
      }
      if (command.eventsNotListed() > 0) {
        body.append("<span class=\"more\">+ ").append(command.eventsNotListed()).append(" more</span>");
      }
      body.append("</div></section>");
    }
    if (answer.eventsWithoutContext() + answer.eventsWithInvalidContext() > 0) {
      body.append("<section class=\"row\"><div class=\"command none\"><div class=\"bar\"></div><div>")
          .append("no trace context</div></div><div class=\"arrow\">→</div><div class=\"events\"><span class=\"more\">")
          .append(answer.eventsWithoutContext()).append(" events written without a context, ")
          .append(answer.eventsWithInvalidContext()).append(" with a malformed one: counted, never guessed")
          .append("</span></div></section>");
    }
    body.append("</div><aside id=\"state\" class=\"state\"><div class=\"col-title\">state</div><div class=\"state-card\">")
        .append(esc(answer.aggregateType())).append(" <code>").append(esc(answer.aggregateId())).append("</code><div>")
        .append("built from ").append(answer.eventsScanned()).append(" events");
    if (answer.eventsScanned() > 0) {
      body.append(" (").append(range(answer.firstSequence(), answer.lastSequence())).append(')');
    }
    body.append("</div></div>");
    if (answer.nextSequence() != null) {
      body.append("<a id=\"next\" href=\"?from=").append(answer.nextSequence()).append("\">next events from #")
          .append(answer.nextSequence()).append(" →</a>");
    }
    body.append("</aside></main>");
    return page("aggregate", "Provenance · " + title, body);
  }

  static String entity(EntityProvenance answer) {
    StringBuilder body = new StringBuilder(4096);
    body.append("<header><h1>Provenance of ").append(esc(answer.entityType())).append(" <code>")
        .append(esc(answer.entityId())).append("</code></h1><div class=\"counts\" id=\"summary\">read model of <code>")
        .append(esc(answer.projection())).append("</code> · version ").append(answer.version()).append("</div>");
    notes(body, answer.notes());
    body.append("</header><main class=\"flow\"><aside id=\"state\" class=\"state wide\"><div class=\"state-card projection\">")
        .append("<table>");
    row(body, "contributors (event spans reached)", answer.contributors());
    row(body, "up to sequence", answer.coveredSequence());
    row(body, "lineage spans (forest peaks)", answer.lineageSpans());
    row(body, "recent contributors not yet under a lineage span", answer.pendingContributors());
    row(body, "events without context", answer.eventsWithoutContext());
    row(body, "events with malformed context", answer.eventsWithInvalidContext());
    row(body, "contributors not sampled", answer.unsampled());
    row(body, "corrupt entries", answer.corrupt());
    row(body, "dropped contributors", answer.dropped());
    body.append("<tr><td>oldest lineage span</td><td>").append(esc(time(answer.oldestLineageSpan()))).append("</td></tr>")
        .append("</table></div></aside><section id=\"spans\"><h2>Spans the stored lineage points at</h2><ul>");
    for (SpanReference span : answer.spans()) {
      String label = span.kind() + " span " + span.spanId() + " in trace " + span.traceId();
      body.append("<li class=\"span-ref ").append(esc(span.kind())).append("\" data-sampled=\"").append(span.sampled())
          .append("\">");
      if (span.url() != null) {
        body.append("<a href=\"").append(esc(span.url())).append("\">").append(esc(label)).append("</a>");
      } else {
        body.append(esc(label)).append(span.sampled() ? "" : " (not sampled: never exported)");
      }
      body.append("</li>");
    }
    body.append("</ul></section></main>");
    return page("projection-entity", "Provenance · " + answer.entityType() + " " + answer.entityId(), body);
  }

  static String index(Collection<String> aggregateTypes, Collection<String> entityTypes) {
    StringBuilder body = new StringBuilder("<header><h1>Tracefold provenance</h1>");
    body.append("<p>Ask for <code>/actuator/tracefold/{type}/{id}</code>.</p>");
    body.append("<div class=\"counts\">aggregate types: <span id=\"aggregate-types\">")
        .append(esc(aggregateTypes.isEmpty() ? "any" : String.join(", ", aggregateTypes)))
        .append("</span></div><div class=\"counts\">projection entity types: <span id=\"entity-types\">")
        .append(esc(String.join(", ", entityTypes))).append("</span></div></header>");
    return page("index", "Tracefold provenance", body);
  }

  static String error(int status, String code, String message) {
    StringBuilder body = new StringBuilder("<header><h1>No provenance: ");
    body.append(esc(code)).append("</h1><p id=\"error\" data-status=\"").append(status).append("\">")
        .append(esc(message)).append("</p></header>");
    return page("error", "Provenance · " + code, body);
  }

  private static void legend(StringBuilder body) {
    body.append("<div class=\"legend\"><span><span class=\"swatch k-command\"></span>command trace</span>")
        .append("<span><span class=\"swatch k-event\"></span>event span</span>")
        .append("<span><span class=\"swatch k-state\"></span>state</span>")
        .append("<span>Links open the trace UI; a span that was not sampled has none.</span></div>");
  }

  private static void notes(StringBuilder body, List<String> notes) {
    if (notes.isEmpty()) {
      return;
    }
    body.append("<ul id=\"notes\">");
    for (String note : notes) {
      body.append("<li>").append(esc(note)).append("</li>");
    }
    body.append("</ul>");
  }

  private static void row(StringBuilder body, String label, long value) {
    body.append("<tr><td>").append(label).append("</td><td>").append(value).append("</td></tr>");
  }

  private static String range(long first, long last) {
    return first == last ? "#" + first : "#" + first + "–#" + last;
  }

  private static String time(@Nullable Instant instant) {
    return instant == null ? "time unknown" : instant.toString();
  }

  private static String simpleName(@Nullable String type) {
    if (type == null) {
      return "?";
    }
    int cut = Math.max(type.lastIndexOf('.'), type.lastIndexOf('$'));
    return type.substring(cut + 1);
  }

  /** Escapes text for HTML element content and double- or single-quoted attribute values. */
  static String esc(@Nullable String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement;
      switch (c) {
        case '&': replacement = "&amp;"; break;
        case '<': replacement = "&lt;"; break;
        case '>': replacement = "&gt;"; break;
        case '"': replacement = "&quot;"; break;
        case '\'': replacement = "&#39;"; break;
        default: replacement = null;
      }
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String page(String kind, String title, CharSequence body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + esc(title) + "</title>"
        + "<style>" + CSS + "</style></head><body data-kind=\"" + kind + "\">" + body + "</body></html>";
  }

  // The palette and type of the example's provenance graph (examples/ProvenanceHtml).
  private static final String CSS = """
      :root { --command:#2563eb; --event:#059669; --state:#dc2626; }
      body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #111827; background: #f9fafb; }
      header { padding: 14px 20px 8px; background: #fff; border-bottom: 1px solid #e5e7eb; }
      h1 { font-size: 18px; margin: 0 0 4px; }
      code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
      .counts, .meta { color: #374151; }
      #notes { color: #92400e; margin: 6px 0; padding-left: 18px; }
      #error { color: #b91c1c; }
      .legend { display: flex; gap: 14px; flex-wrap: wrap; color: #374151; align-items: center; margin-top: 4px; }
      .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
      .k-command { background: var(--command); } .k-event { background: var(--event); } .k-state { background: var(--state); }
      .flow { display: flex; gap: 16px; padding: 12px 20px 40px; align-items: flex-start; }
      .rows { flex: 1; min-width: 0; }
      .col-titles { display: grid; grid-template-columns: 330px 24px 1fr; font-weight: 600; color: #374151; margin-bottom: 6px; }
      .col-titles span + span { grid-column: 3; }
      .row { display: grid; grid-template-columns: 330px 24px 1fr; align-items: start; margin-bottom: 8px; }
      .command { display: flex; background: #fff; border: 1px solid #e5e7eb; border-radius: 4px; overflow: hidden; }
      .command > div:last-child { padding: 4px 8px; min-width: 0; }
      .command .bar { width: 4px; flex: none; background: var(--command); }
      .command[data-sampled="false"] .bar, .command.none .bar { background: #9ca3af; }
      .arrow { color: #9ca3af; text-align: center; padding-top: 6px; }
      .events { display: flex; flex-wrap: wrap; gap: 4px; padding-top: 3px; }
      .event { display: inline-flex; align-items: center; gap: 4px; padding: 1px 7px 1px 5px; border-radius: 10px;
               background: #ecfdf5; color: #065f46; text-decoration: none; white-space: nowrap; }
      .event i { width: 8px; height: 8px; border-radius: 50%; background: var(--event); }
      a.event:hover { background: #d1fae5; }
      .event.off { background: #f3f4f6; color: #6b7280; } .event.off i { background: #9ca3af; }
      .unsampled, .more { color: #6b7280; }
      .trace-link { color: var(--command); }
      .state { position: sticky; top: 12px; width: 260px; flex: none; }
      .state.wide { width: auto; }
      .col-title { font-weight: 600; color: #374151; margin-bottom: 6px; }
      .state-card { background: var(--state); color: #fff; border-radius: 4px; padding: 8px 10px; font-weight: 600; }
      .state-card code { color: #fff; }
      .state-card.projection { background: #fff; color: #111827; border-left: 4px solid #db2777; font-weight: 400; }
      .state-card td { padding: 1px 10px 1px 0; }
      #next { display: block; margin-top: 10px; }
      """;
}
