package io.tracefold.examples;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK of the example, configured by the SDK's autoconfigure module from the
 * standard {@code OTEL_*} environment variables and {@code otel.*} system properties, plus an
 * in-process {@link SpanCapture} for the provenance tree.
 *
 * <p>One deviation from the autoconfigure defaults: unless an exporter is asked for
 * ({@code OTEL_TRACES_EXPORTER} or any {@code OTEL_EXPORTER_OTLP_*} setting), nothing is exported
 * and nothing leaves the process; the console tree is the output. Metrics and logs are off unless
 * asked for (the example emits neither).
 */
final class Telemetry implements AutoCloseable {

  static final String DEFAULT_SERVICE_NAME = "tracefold-example";

  final OpenTelemetrySdk sdk;
  final SpanCapture capture;
  private final String description;

  private Telemetry(OpenTelemetrySdk sdk, SpanCapture capture, String description) {
    this.sdk = sdk;
    this.capture = capture;
    this.description = description;
  }

  /**
   * Builds the SDK from {@code env} and {@code systemProperties} (the autoconfigure module reads
   * the real ones; these decide only the defaults), with {@code extraProcessors} added (tests).
   */
  static Telemetry create(
      Map<String, String> env, Map<String, String> systemProperties, List<SpanProcessor> extraProcessors) {
    SpanCapture capture = new SpanCapture(2_000_000);
    boolean export = exportRequested(env, systemProperties);
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", DEFAULT_SERVICE_NAME);
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    if (!export) {
      defaults.put("otel.traces.exporter", "none");
    }
    String[] described = new String[1];
    AutoConfiguredOpenTelemetrySdk autoConfigured =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .addPropertiesCustomizer(
                config -> {
                  described[0] = describe(config.getList("otel.traces.exporter", List.of("otlp")), config);
                  return Map.of();
                })
            .addTracerProviderCustomizer(
                (builder, config) -> {
                  builder.addSpanProcessor(capture);
                  for (SpanProcessor processor : extraProcessors) {
                    builder.addSpanProcessor(processor);
                  }
                  return builder;
                })
            .disableShutdownHook()
            .build();
    return new Telemetry(autoConfigured.getOpenTelemetrySdk(), capture, described[0]);
  }

  /** Returns whether the standard variables ask for span export. */
  static boolean exportRequested(Map<String, String> env, Map<String, String> systemProperties) {
    for (String key : env.keySet()) {
      String upper = key.toUpperCase(Locale.ROOT);
      if (upper.equals("OTEL_TRACES_EXPORTER") || upper.startsWith("OTEL_EXPORTER_OTLP")) {
        return true;
      }
    }
    for (String key : systemProperties.keySet()) {
      String lower = key.toLowerCase(Locale.ROOT);
      if (lower.equals("otel.traces.exporter") || lower.startsWith("otel.exporter.otlp")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(List<String> exporters, ConfigProperties config) {
    StringBuilder text = new StringBuilder();
    for (String exporter : exporters) {
      if (exporter.equals("none")) {
        continue;
      }
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(exporter);
      if (exporter.equals("otlp")) {
        String protocol = config.getString("otel.exporter.otlp.traces.protocol",
            config.getString("otel.exporter.otlp.protocol", "grpc"));
        String endpoint = config.getString("otel.exporter.otlp.traces.endpoint",
            config.getString("otel.exporter.otlp.endpoint",
                protocol.startsWith("http") ? "http://localhost:4318" : "http://localhost:4317"));
        text.append(" (").append(protocol).append(", ").append(endpoint).append(')');
      }
    }
    return text.length() == 0
        ? "in-process only (set OTEL_EXPORTER_OTLP_ENDPOINT to send them to Jaeger, Tempo or Datadog)"
        : "exported via " + text + " and kept in-process";
  }

  /** Returns a line saying where spans go. */
  String description() {
    return description == null ? "configured by OTEL_* variables" : description;
  }

  /** Flushes the exporters and shuts the SDK down. */
  @Override
  public void close() {
    sdk.getSdkTracerProvider().forceFlush().join(5, TimeUnit.SECONDS);
    sdk.shutdown().join(5, TimeUnit.SECONDS);
  }
}
