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

  /** Creates the exception for an application with neither an {@code OpenTelemetry} bean nor the Java agent. */
  public MissingOpenTelemetryException() {
    this("Tracefold needs an io.opentelemetry.api.OpenTelemetry: the application has no such bean and runs"
        + " without the OpenTelemetry Java agent. Declare one (e.g. an OpenTelemetrySdk bean), add the"
        + " OpenTelemetry Spring Boot starter, or attach the Java agent. Tracefold uses GlobalOpenTelemetry"
        + " only under the agent. Set tracefold.enabled=false to run without it.");
  }

  /** Creates the exception with a message saying which instance was asked for and is missing. */
  MissingOpenTelemetryException(String message) {
    super(OpenTelemetry.class, message);
  }
}
