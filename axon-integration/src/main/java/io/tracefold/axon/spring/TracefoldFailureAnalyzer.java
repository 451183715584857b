package io.tracefold.axon.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a start-up without an {@code OpenTelemetry} for Tracefold in Spring Boot's failure
 * report (Description and Action), ahead of Spring's generic "required a bean" message.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class TracefoldFailureAnalyzer extends AbstractFailureAnalyzer<MissingOpenTelemetryException> {

  /** Creates the analyzer (Spring Boot instantiates it from {@code spring.factories}). */
  public TracefoldFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MissingOpenTelemetryException cause) {
    return new FailureAnalysis(
        "Tracefold (tracefold-axon) is enabled but has no io.opentelemetry.api.OpenTelemetry to emit its"
            + " spans through: " + cause.reason(),
        "Provide an OpenTelemetry in one of three ways:\n"
            + "  1. run under the OpenTelemetry Java agent (-javaagent:opentelemetry-javaagent.jar): Tracefold"
            + " uses the agent's instance (GlobalOpenTelemetry.get()), no bean needed;\n"
            + "  2. add a starter that declares an OpenTelemetry bean with an exporter: the OpenTelemetry Spring"
            + " Boot starter (io.opentelemetry.instrumentation:opentelemetry-spring-boot-starter), or Spring Boot"
            + " Actuator with io.micrometer:micrometer-tracing-bridge-otel and an exporter"
            + " (io.opentelemetry:opentelemetry-exporter-otlp, management.otlp.tracing.endpoint);\n"
            + "  3. declare a bean of your own, e.g. @Bean OpenTelemetrySdk openTelemetry() {...}.\n"
            + "tracefold.open-telemetry (auto, bean, agent) says which one Tracefold takes."
            + " Or set tracefold.enabled=false to run the application without Tracefold.",
        cause);
  }
}
