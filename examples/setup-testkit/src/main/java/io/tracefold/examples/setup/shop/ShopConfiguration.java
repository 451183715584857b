package io.tracefold.examples.setup.shop;

import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * Brings the shop into a Spring Boot application: {@link Cart}, {@link CartSummaries}, an in-memory
 * event store (no database or Axon Server needed) and the Axon settings of {@code
 * tracefold-shop.properties} (no Axon Server, no update check, Jackson, the two-segment tracking
 * processor), which the application's own properties override.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackageClasses = ShopConfiguration.class)
@PropertySource("classpath:tracefold-shop.properties")
public class ShopConfiguration {

  /** Creates the configuration (Spring instantiates it). */
  public ShopConfiguration() {}

  /**
   * Returns the event store's storage: in memory.
   *
   * @return the storage engine
   */
  @Bean
  public EventStorageEngine eventStorageEngine() {
    return new InMemoryEventStorageEngine();
  }
}
