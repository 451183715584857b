package io.tracefold.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryTest {

  @Test
  void exportRequested_noOtelVariables_false() {
    assertThat(Telemetry.exportRequested(Map.of("PATH", "/usr/bin", "OTEL_SERVICE_NAME", "shop"), Map.of()))
        .isFalse();
  }

  @Test
  void exportRequested_otlpEndpointOrExporterInEnvOrSystemProperties_true() {
    assertThat(Telemetry.exportRequested(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317"), Map.of()))
        .isTrue();
    assertThat(Telemetry.exportRequested(Map.of("OTEL_TRACES_EXPORTER", "logging"), Map.of())).isTrue();
    assertThat(Telemetry.exportRequested(Map.of(), Map.of("otel.exporter.otlp.traces.endpoint", "http://x:4318")))
        .isTrue();
    assertThat(Telemetry.exportRequested(Map.of(), Map.of("otel.traces.exporter", "otlp"))).isTrue();
  }

  @Test
  void create_withoutExportSettings_keepsSpansInProcessOnly() {
    try (Telemetry telemetry = Telemetry.create(Map.of(), Map.of(), List.of())) {
      Span span = telemetry.sdk.getTracer("test").spanBuilder("work").startSpan();
      span.end();

      assertThat(telemetry.description()).startsWith("in-process only");
      assertThat(telemetry.capture.spans()).extracting(s -> s.getName()).containsExactly("work");
    }
  }
}
