package io.tracefold.axon.spring;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The OpenTelemetry Java agent as Tracefold's auto-configuration sees it. A seam: the
 * auto-configuration uses a bean of this type if there is one (tests simulate the agent with it),
 * else {@link #detect()}.
 */
interface JavaAgent {

  /** A class of the agent's that it appends to the bootstrap class path at {@code premain}. */
  String BOOTSTRAP_CLASS = "io.opentelemetry.javaagent.bootstrap.AgentInitializer";

  /** Package of every class of the agent's, the API bridge it injects into the application included. */
  String PACKAGE_PREFIX = "io.opentelemetry.javaagent.";

  /**
   * Returns the agent's instance (what {@code GlobalOpenTelemetry.get()} returns under the agent:
   * the bridge from the application's OpenTelemetry API to the agent's SDK), or null when no agent
   * is attached or it does not bridge this application's API.
   */
  @Nullable OpenTelemetry openTelemetry();

  /**
   * Returns the agent's setting that makes it export no span (e.g. {@code
   * otel.traces.exporter=none}), or null when its configuration does not say so.
   */
  @Nullable String silencedBy();

  /** Returns the agent of this JVM, looked up once (cheap: one class look-up on the bootstrap loader). */
  static JavaAgent detect() {
    return Detected.INSTANCE;
  }

  /** The agent of this JVM. */
  enum Detected implements JavaAgent {
    INSTANCE;

    @Override
    public @Nullable OpenTelemetry openTelemetry() {
      try {
        // The bootstrap class first: without the agent, GlobalOpenTelemetry.get() would fix the
        // global instance to a no-op and make a later GlobalOpenTelemetry.set of the application fail.
        Class.forName(BOOTSTRAP_CLASS, false, null);
      } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
        return null;
      }
      String enabled = setting("otel.javaagent.enabled", "OTEL_JAVAAGENT_ENABLED");
      if (enabled != null && "false".equals(enabled.trim().toLowerCase(Locale.ROOT))) {
        // The agent's classes are on the bootstrap class path, but it installed nothing: no bridge.
        return null;
      }
      try {
        // Under the agent, get() returns the agent's bridge and set() is ignored: no side effect.
        return bridged(GlobalOpenTelemetry.get());
      } catch (RuntimeException | LinkageError e) {
        return null;
      }
    }

    @Override
    public @Nullable String silencedBy() {
      return JavaAgent.silencedBy(
          setting("otel.sdk.disabled", "OTEL_SDK_DISABLED"), setting("otel.traces.exporter", "OTEL_TRACES_EXPORTER"));
    }

    private static @Nullable String setting(String property, String variable) {
      try {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv(variable);
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  /** Returns {@code instance} if it is the agent's bridge, else null. */
  static @Nullable OpenTelemetry bridged(OpenTelemetry instance) {
    return instance.getClass().getName().startsWith(PACKAGE_PREFIX) ? instance : null;
  }

  /**
   * Returns which of the agent's settings (given their values, null when unset) means that it
   * exports no span, or null.
   */
  static @Nullable String silencedBy(@Nullable String sdkDisabled, @Nullable String tracesExporter) {
    if (sdkDisabled != null && "true".equals(sdkDisabled.trim().toLowerCase(Locale.ROOT))) {
      return "otel.sdk.disabled=true";
    }
    if (tracesExporter == null || tracesExporter.length() > 1024) {
      return null;
    }
    for (String exporter : tracesExporter.split(",")) {
      if (!"none".equals(exporter.trim().toLowerCase(Locale.ROOT))) {
        return null;
      }
    }
    return "otel.traces.exporter=" + tracesExporter.trim();
  }
}
