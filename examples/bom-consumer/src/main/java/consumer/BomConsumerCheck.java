package consumer;

import io.opentelemetry.api.OpenTelemetry;
import io.tracefold.axon.AxonTracefold;
import io.tracefold.axon.TracedAggregate;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Runs a traced aggregate with nothing but what axon-bom and tracefold-axon resolve to. */
public final class BomConsumerCheck {

  /** Creates a counter. */
  public record Create(@TargetAggregateIdentifier String id) {}

  /** Increments a counter. */
  public record Increment(@TargetAggregateIdentifier String id) {}

  /** A counter was created. */
  public record Created(String id) {}

  /** A counter was incremented. */
  public record Incremented(String id) {}

  /** The aggregate. */
  @TracedAggregate
  public static class Counter {
    @AggregateIdentifier private String id;
    private int value;

    public Counter() {}

    @CommandHandler
    public Counter(Create command) {
      AggregateLifecycle.apply(new Created(command.id()));
    }

    /** Returns the value after this increment. */
    @CommandHandler
    public int handle(Increment command) {
      AggregateLifecycle.apply(new Incremented(id));
      return value;
    }

    @EventSourcingHandler
    void on(Created event) {
      id = event.id();
    }

    @EventSourcingHandler
    void on(Incremented event) {
      value++;
    }
  }

  public static void main(String[] args) {
    Configurer configurer =
        DefaultConfigurer.defaultConfiguration()
            .configureAggregate(Counter.class)
            .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
    AxonTracefold.create(OpenTelemetry.noop()).configureModule(configurer);
    Configuration config = configurer.start();
    try {
      config.commandGateway().sendAndWait(new Create("c-1"));
      config.commandGateway().sendAndWait(new Increment("c-1"));
      // The second increment loads the aggregate: a traced rehydration of two events.
      Integer value = config.commandGateway().sendAndWait(new Increment("c-1"));
      if (value == null || value != 2) {
        throw new IllegalStateException("unexpected counter value " + value);
      }
      System.out.println("bom-consumer: OK (axon-bom 4.13.0 + tracefold-axon resolve and run)");
    } finally {
      config.shutdown();
    }
  }
}
