package io.tracefold.axon.spring;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the provenance API bean and of the {@code tracefold} Actuator endpoint
 * ({@code tracefold.provenance.*}); validated at start-up.
 */
@ConfigurationProperties(prefix = "tracefold.provenance")
public final class TracefoldProvenanceProperties {

  /**
   * URL template of deep links into the trace UI, with {traceId}, {spanId}, {traceIdLow64},
   * {startMillis}, {endMillis}, {startSeconds}, {endSeconds}; e.g.
   * http://localhost:16686/trace/{traceId}?uiFind={spanId} (Jaeger). Empty: no links.
   */
  private @Nullable String traceUrlTemplate;

  /** Most events one question reads; a longer stream is answered in pages (?from=). */
  private int maxEventsScanned = 10_000;

  /** Most commands listed per answer; the rest are counted. */
  private int maxCommands = 1_000;

  /** Most events listed per command; the rest are counted. */
  private int maxEventsPerCommand = 100;

  /** Creates the properties with their defaults (Spring binds them). */
  public TracefoldProvenanceProperties() {}

  /** Returns the deep-link URL template, or null for none. */
  public @Nullable String getTraceUrlTemplate() {
    return traceUrlTemplate;
  }

  /** Sets the deep-link URL template. */
  public void setTraceUrlTemplate(@Nullable String traceUrlTemplate) {
    this.traceUrlTemplate = traceUrlTemplate;
  }

  /** Returns the most events one question reads. */
  public int getMaxEventsScanned() {
    return maxEventsScanned;
  }

  /** Sets the most events one question reads. */
  public void setMaxEventsScanned(int maxEventsScanned) {
    this.maxEventsScanned = maxEventsScanned;
  }

  /** Returns the most commands listed per answer. */
  public int getMaxCommands() {
    return maxCommands;
  }

  /** Sets the most commands listed per answer. */
  public void setMaxCommands(int maxCommands) {
    this.maxCommands = maxCommands;
  }

  /** Returns the most events listed per command. */
  public int getMaxEventsPerCommand() {
    return maxEventsPerCommand;
  }

  /** Sets the most events listed per command. */
  public void setMaxEventsPerCommand(int maxEventsPerCommand) {
    this.maxEventsPerCommand = maxEventsPerCommand;
  }
}
