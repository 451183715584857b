package io.tracefold.examples.agent;

import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot + Axon 4 application as a user writes it to run under the OpenTelemetry Java agent:
 * {@code tracefold-axon} on the class path and no {@code OpenTelemetry} bean. Tracefold emits
 * through the agent's instance; the agent exports (here as OTLP JSON on the console).
 *
 * <p>Run: {@code java -javaagent:opentelemetry-javaagent.jar -jar app.jar}, with {@code
 * OTEL_SERVICE_NAME} and {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code
 * OTEL_TRACES_EXPORTER=logging-otlp}) in the environment.
 */
@SpringBootApplication
public class AgentSetupApplication {

  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(AgentSetupApplication.class, args);
  }

  /** An in-memory event store keeps the example self-contained; a JPA or JDBC one works the same. */
  @Bean
  EventStorageEngine eventStorageEngine() {
    return new InMemoryEventStorageEngine();
  }
}
