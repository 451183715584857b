package io.tracefold.benchmarks.axon;

import org.axonframework.commandhandling.CommandHandler;

/** A command handled by a stateless component: the command bus round trip without an aggregate. */
record Ping(String id) {

  /** Handles {@link Ping}: returns its id. */
  static final class Handler {
    @CommandHandler
    String handle(Ping ping) {
      return ping.id();
    }
  }
}
