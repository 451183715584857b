package io.tracefold.examples.setup.otelstarter;

import io.tracefold.examples.setup.shop.ShopConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The shop on Spring Boot with the OpenTelemetry Spring Boot starter: the starter builds the
 * {@code OpenTelemetry} bean from the {@code otel.*} properties and Tracefold emits through it.
 */
@SpringBootApplication
@Import(ShopConfiguration.class)
public class OtelStarterShopApplication {

  /** Creates the application (Spring instantiates it). */
  public OtelStarterShopApplication() {}

  /**
   * Runs the application.
   *
   * @param args Spring Boot's arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(OtelStarterShopApplication.class, args);
  }
}
