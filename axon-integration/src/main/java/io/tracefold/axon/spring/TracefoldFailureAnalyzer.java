package io.tracefold.axon.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a start-up without an {@code OpenTelemetry} bean in Spring Boot's failure report
 * (Description and Action), ahead of Spring's generic "required a bean" message.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class TracefoldFailureAnalyzer extends AbstractFailureAnalyzer<MissingOpenTelemetryException> {

  /** Creates the analyzer (Spring Boot instantiates it from {@code spring.factories}). */
  public TracefoldFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MissingOpenTelemetryException cause) {
    return new FailureAnalysis(
        "Tracefold (tracefold-axon) is enabled but the application has no"
            + " io.opentelemetry.api.OpenTelemetry bean to emit its spans through. Tracefold never"
            + " falls back to GlobalOpenTelemetry on its own.",
        "Provide an OpenTelemetry in one of three ways:\n"
            + "  1. declare a bean of your own, e.g. @Bean OpenTelemetrySdk openTelemetry() {...};\n"
            + "  2. add the OpenTelemetry Spring Boot starter"
            + " (io.opentelemetry.instrumentation:opentelemetry-spring-boot-starter), which declares one;\n"
            + "  3. under the OpenTelemetry Java agent, declare"
            + " @Bean OpenTelemetry openTelemetry() { return GlobalOpenTelemetry.get(); } (the agent's instance).\n"
            + "Or set tracefold.enabled=false to run the application without Tracefold.",
        cause);
  }
}
