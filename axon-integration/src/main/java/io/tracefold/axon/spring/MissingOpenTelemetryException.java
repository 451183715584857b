package io.tracefold.axon.spring;

import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;

/**
 * Thrown at start-up when Tracefold is enabled and has no {@link OpenTelemetry} to emit through:
 * no {@code OpenTelemetry} bean and no OpenTelemetry Java agent (or not the one that {@code
 * tracefold.open-telemetry} asks for). {@link TracefoldFailureAnalyzer} turns it into Spring
 * Boot's start-up failure report.
 */
public final class MissingOpenTelemetryException extends NoSuchBeanDefinitionException {

  private static final long serialVersionUID = 1L;

  /** Says which instance is missing. */
  private final String reason;

  /** Creates the exception for an application with neither an {@code OpenTelemetry} bean nor the Java agent. */
  public MissingOpenTelemetryException() {
    this("the application has no such bean and runs without the OpenTelemetry Java agent.");
  }

  /** Creates the exception with a reason saying which instance was asked for and is missing. */
  MissingOpenTelemetryException(String reason) {
    super(OpenTelemetry.class,
        "Tracefold needs an io.opentelemetry.api.OpenTelemetry: " + reason + " Attach the Java agent, declare"
            + " a bean (e.g. an OpenTelemetrySdk) or add the OpenTelemetry Spring Boot starter. Tracefold uses"
            + " GlobalOpenTelemetry only under the agent. Set tracefold.enabled=false to run without it.");
    this.reason = reason;
  }

  /** Returns which instance was asked for and is missing. */
  String reason() {
    return reason;
  }
}
