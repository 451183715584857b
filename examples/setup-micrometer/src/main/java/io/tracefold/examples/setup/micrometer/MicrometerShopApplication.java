package io.tracefold.examples.setup.micrometer;

import io.tracefold.examples.setup.shop.ShopConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The shop on Spring Boot with Micrometer Tracing's OpenTelemetry bridge: Spring Boot's Actuator
 * builds the {@code OpenTelemetry} SDK (sampler, exporters) and Tracefold emits through it.
 */
@SpringBootApplication
@Import(ShopConfiguration.class)
public class MicrometerShopApplication {

  /** Creates the application (Spring instantiates it). */
  public MicrometerShopApplication() {}

  /**
   * Runs the application.
   *
   * @param args Spring Boot's arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(MicrometerShopApplication.class, args);
  }
}
