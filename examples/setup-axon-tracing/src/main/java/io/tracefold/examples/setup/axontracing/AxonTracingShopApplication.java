package io.tracefold.examples.setup.axontracing;

import io.tracefold.examples.setup.shop.ShopConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The shop as an application that had Axon's {@code axon-tracing-opentelemetry} and its own
 * OpenTelemetry SDK ({@link ShopTelemetry}) before Tracefold was added: Tracefold's span factory
 * takes the place of Axon's OpenTelemetry one, which backs off.
 */
@SpringBootApplication
@Import(ShopConfiguration.class)
public class AxonTracingShopApplication {

  /** Creates the application (Spring instantiates it). */
  public AxonTracingShopApplication() {}

  /**
   * Runs the application.
   *
   * @param args Spring Boot's arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(AxonTracingShopApplication.class, args);
  }
}
