package io.tracefold.axon.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Deep-link templates and presets: what each fills in, and what is refused. */
class TraceLinksTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";
  private static final Instant FIRST = Instant.parse("2026-01-02T10:00:00Z");
  private static final Instant LAST = Instant.parse("2026-01-02T10:00:05Z");

  @Test
  void template_allPlaceholders_filledAndUnknownOnesKept() {
    TraceLinks links = TraceLinks.template(
        "https://ui/t/{traceId}/s/{spanId}?low={traceIdLow64}&from={startMillis}&to={endMillis}"
            + "&a={startSeconds}&b={endSeconds}&keep={other}");
    assertThat(links.url(TRACE, SPAN, true, FIRST, LAST)).isEqualTo(
        "https://ui/t/" + TRACE + "/s/" + SPAN + "?low=" + new java.math.BigInteger("a3ce929d0e0e4736", 16)
            + "&from=" + FIRST.minusSeconds(3600).toEpochMilli() + "&to=" + LAST.plusSeconds(3600).toEpochMilli()
            + "&a=" + FIRST.minusSeconds(3600).getEpochSecond() + "&b=" + LAST.plusSeconds(3600).getEpochSecond()
            + "&keep={other}");
  }

  @Test
  void url_unsampledSpanOrNoTemplate_isNull() {
    assertThat(TraceLinks.jaeger("http://jaeger:16686").url(TRACE, SPAN, false, FIRST, LAST)).isNull();
    assertThat(TraceLinks.none().url(TRACE, SPAN, true, FIRST, LAST)).isNull();
    assertThat(TraceLinks.none().template()).isNull();
  }

  @Test
  void presets_haveTheDocumentedForms() {
    assertThat(TraceLinks.jaeger("http://jaeger:16686/").url(TRACE, SPAN, true, FIRST, LAST))
        .isEqualTo("http://jaeger:16686/trace/" + TRACE + "?uiFind=" + SPAN);
    assertThat(TraceLinks.datadog("datadoghq.eu").url(TRACE, SPAN, true, FIRST, LAST))
        .isEqualTo("https://app.datadoghq.eu/apm/trace/" + TRACE);
    assertThat(TraceLinks.honeycomb("acme", "prod", "orders svc").url(TRACE, SPAN, true, FIRST, LAST))
        .isEqualTo("https://ui.honeycomb.io/acme/environments/prod/datasets/orders%20svc/trace?trace_id=" + TRACE
            + "&span=" + SPAN + "&trace_start_ts=" + FIRST.minusSeconds(3600).getEpochSecond()
            + "&trace_end_ts=" + LAST.plusSeconds(3600).getEpochSecond());
    String grafana = TraceLinks.grafanaTempo("http://grafana:3000", "tempo\"uid").url(TRACE, SPAN, true, FIRST, LAST);
    URI uri = URI.create(grafana);
    assertThat(uri.getPath()).isEqualTo("/explore");
    String panes = URLDecoder.decode(grafana.substring(grafana.indexOf("panes=") + 6), StandardCharsets.UTF_8);
    assertThat(panes)
        .contains("\"uid\":\"tempo\\\"uid\"")
        .contains("\"queryType\":\"traceql\",\"query\":\"" + TRACE + "\"")
        .contains("\"from\":\"" + FIRST.minusSeconds(3600).toEpochMilli() + "\"");
  }

  @Test
  void template_unsafeOrIncomplete_isRefusedNamingTheProblem() {
    assertThatThrownBy(() -> TraceLinks.template("javascript:alert(1)//{traceId}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
    assertThatThrownBy(() -> TraceLinks.template("https://ui/trace"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{traceId}");
    assertThatThrownBy(() -> TraceLinks.template("https://ui/\"><script>/{traceId}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percent-encoded");
    assertThatThrownBy(() -> TraceLinks.template("https://ui/{traceId}/" + "x".repeat(5000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096");
    assertThatThrownBy(() -> TraceLinks.jaeger("ftp://jaeger"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
    assertThatThrownBy(() -> TraceLinks.honeycomb("", "prod", "d"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 256");
  }
}
