package io.tracefold.axon.provenance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Deep links into a trace UI: a URL template with placeholders that {@link Provenance} fills in
 * for every command (trace) and event (span) it reports. A span that was not sampled gets no link:
 * its trace may never have been exported.
 *
 * <p>Placeholders (each optional except {@code {traceId}}):
 *
 * <ul>
 *   <li>{@code {traceId}}: the 32 lowercase hex digits of the W3C trace id;
 *   <li>{@code {spanId}}: the 16 lowercase hex digits of the span id (of the command's first
 *       sampled event for a command link);
 *   <li>{@code {traceIdLow64}}: the lower 64 bits of the trace id as an unsigned decimal (the form
 *       of trace ids in Datadog's own tracers);
 *   <li>{@code {startMillis}}, {@code {endMillis}}, {@code {startSeconds}}, {@code {endSeconds}}:
 *       a time range around the event timestamps (one hour either side), for backends that search
 *       traces by time.
 * </ul>
 *
 * <p>Presets: {@link #jaeger}, {@link #grafanaTempo}, {@link #datadog}, {@link #honeycomb}. A
 * template must start with {@code http://} or {@code https://} (a link is put into HTML pages).
 */
public final class TraceLinks {

  /** The longest template accepted. */
  static final int MAX_TEMPLATE_LENGTH = 4096;

  /** How far before the first and after the last event timestamp a time range reaches. */
  static final Duration MARGIN = Duration.ofHours(1);

  private static final TraceLinks NONE = new TraceLinks(null);

  private final @Nullable String template;

  private TraceLinks(@Nullable String template) {
    this.template = template;
  }

  /** Returns deep links that are never made: answers carry trace and span ids only. */
  public static TraceLinks none() {
    return NONE;
  }

  /**
   * Returns deep links made from {@code template}.
   *
   * @throws IllegalArgumentException if the template is longer than 4096 characters, does not
   *     start with {@code http://} or {@code https://}, has no {@code {traceId}}, or contains
   *     whitespace, quotes or angle brackets
   */
  public static TraceLinks template(String template) {
    Objects.requireNonNull(template, "template");
    if (template.length() > MAX_TEMPLATE_LENGTH) {
      throw new IllegalArgumentException("trace URL template: longer than " + MAX_TEMPLATE_LENGTH + " characters");
    }
    if (!template.startsWith("http://") && !template.startsWith("https://")) {
      throw new IllegalArgumentException("trace URL template: must start with http:// or https://, was " + cut(template));
    }
    if (!template.contains("{traceId}")) {
      throw new IllegalArgumentException("trace URL template: has no {traceId} placeholder: " + cut(template));
    }
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '`' || c == 0x7f) {
        throw new IllegalArgumentException(
            "trace URL template: character " + (int) c + " at " + i + " must be percent-encoded: " + cut(template));
      }
    }
    return new TraceLinks(template);
  }

  /**
   * Returns links into the Jaeger UI at {@code baseUrl} (e.g. {@code http://localhost:16686}):
   * {@code {baseUrl}/trace/{traceId}?uiFind={spanId}} (the span highlighted).
   */
  public static TraceLinks jaeger(String baseUrl) {
    return template(base(baseUrl) + "/trace/{traceId}?uiFind={spanId}");
  }

  /**
   * Returns links into Grafana's Explore view of the Tempo data source {@code datasourceUid} at
   * {@code grafanaUrl} (e.g. {@code http://localhost:3000}): a TraceQL query for the trace id over
   * the time range around its events.
   */
  public static TraceLinks grafanaTempo(String grafanaUrl, String datasourceUid) {
    Objects.requireNonNull(datasourceUid, "datasourceUid");
    String uid = jsonString(datasourceUid);
    String panes = "{\"tracefold\":{\"datasource\":" + uid + ",\"queries\":[{\"refId\":\"A\",\"datasource\":"
        + "{\"type\":\"tempo\",\"uid\":" + uid + "},\"queryType\":\"traceql\",\"query\":\"{traceId}\"}],"
        + "\"range\":{\"from\":\"{startMillis}\",\"to\":\"{endMillis}\"}}}";
    String encoded = URLEncoder.encode(panes, StandardCharsets.UTF_8)
        .replace("%7BtraceId%7D", "{traceId}")
        .replace("%7BstartMillis%7D", "{startMillis}")
        .replace("%7BendMillis%7D", "{endMillis}");
    return template(base(grafanaUrl) + "/explore?schemaVersion=1&orgId=1&panes=" + encoded);
  }

  /**
   * Returns links into Datadog APM's trace view on {@code site} (e.g. {@code datadoghq.com},
   * {@code datadoghq.eu}, {@code us5.datadoghq.com}): {@code https://app.{site}/apm/trace/{traceId}}.
   */
  public static TraceLinks datadog(String site) {
    Objects.requireNonNull(site, "site");
    return template("https://app." + segment(site) + "/apm/trace/{traceId}");
  }

  /**
   * Returns links into Honeycomb's trace view of {@code dataset} in {@code environment} of
   * {@code team}: {@code https://ui.honeycomb.io/{team}/environments/{environment}/datasets/{dataset}/trace?trace_id={traceId}&span={spanId}&trace_start_ts={startSeconds}&trace_end_ts={endSeconds}}.
   */
  public static TraceLinks honeycomb(String team, String environment, String dataset) {
    return template("https://ui.honeycomb.io/" + segment(team) + "/environments/" + segment(environment)
        + "/datasets/" + segment(dataset)
        + "/trace?trace_id={traceId}&span={spanId}&trace_start_ts={startSeconds}&trace_end_ts={endSeconds}");
  }

  /** Returns the template, or null for {@link #none()}. */
  public @Nullable String template() {
    return template;
  }

  /**
   * Returns the link to a span (or, without {@code spanId}, to a trace), or null when there is no
   * template or the span was not sampled. Ids are the W3C hex forms (validated by the caller).
   */
  @Nullable
  String url(String traceId, @Nullable String spanId, boolean sampled, @Nullable Instant first, @Nullable Instant last) {
    String t = template;
    if (t == null || !sampled) {
      return null;
    }
    Instant start = (first == null ? Instant.EPOCH : first).minus(MARGIN);
    Instant end = (last == null ? Instant.now() : last).plus(MARGIN);
    StringBuilder out = new StringBuilder(t.length() + 64);
    int i = 0;
    while (i < t.length()) {
      char c = t.charAt(i);
      if (c == '{') {
        int close = t.indexOf('}', i);
        if (close > i) {
          String value = placeholder(t.substring(i + 1, close), traceId, spanId, start, end);
          if (value != null) {
            out.append(value);
            i = close + 1;
            continue;
          }
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static @Nullable String placeholder(
      String name, String traceId, @Nullable String spanId, Instant start, Instant end) {
    switch (name) {
      case "traceId":
        return traceId;
      case "spanId":
        return spanId == null ? "" : spanId;
      case "traceIdLow64":
        return Long.toUnsignedString(Long.parseUnsignedLong(traceId.substring(16), 16));
      case "startMillis":
        return Long.toString(start.toEpochMilli());
      case "endMillis":
        return Long.toString(end.toEpochMilli());
      case "startSeconds":
        return Long.toString(start.getEpochSecond());
      case "endSeconds":
        return Long.toString(end.getEpochSecond());
      default:
        return null;
    }
  }

  private static String base(String url) {
    Objects.requireNonNull(url, "baseUrl");
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    if (!trimmed.startsWith("http://") && !trimmed.startsWith("https://")) {
      throw new IllegalArgumentException("trace UI base URL: must start with http:// or https://, was " + cut(url));
    }
    return trimmed;
  }

  private static String segment(String value) {
    if (value.isEmpty() || value.length() > 256) {
      throw new IllegalArgumentException("trace URL part: must have 1 to 256 characters, was " + cut(value));
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String jsonString(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < ' ') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static String cut(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }

  @Override
  public String toString() {
    return template == null ? "TraceLinks.none()" : "TraceLinks{" + template + '}';
  }
}
