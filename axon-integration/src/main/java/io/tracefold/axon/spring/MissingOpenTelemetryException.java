package io.tracefold.axon.spring;

import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;

/**
 * Thrown at start-up when Tracefold is enabled and the application has no {@link OpenTelemetry}
 * bean; {@link TracefoldFailureAnalyzer} turns it into Spring Boot's start-up failure report.
 */
public final class MissingOpenTelemetryException extends NoSuchBeanDefinitionException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public MissingOpenTelemetryException() {
    super(
        OpenTelemetry.class,
        "Tracefold needs an io.opentelemetry.api.OpenTelemetry bean: declare one (e.g. an"
            + " OpenTelemetrySdk) or add the OpenTelemetry Spring Boot starter. Tracefold never"
            + " falls back to GlobalOpenTelemetry. Set tracefold.enabled=false to run without it.");
  }
}
