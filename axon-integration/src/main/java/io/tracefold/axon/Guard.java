package io.tracefold.axon;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fail-open bookkeeping for Tracefold's callbacks into Axon: a tracing failure (unreadable
 * metadata, a failing OpenTelemetry SDK or span processor, an OpenTelemetry API older than ours, a
 * failing lineage store) is logged once per cause and swallowed, so the application behaves as
 * without Tracefold.
 */
final class Guard {

  private static final Logger LOGGER = LoggerFactory.getLogger("io.tracefold");
  private static final int MAX_LOGGED_CAUSES = 64;
  private static final Map<String, Boolean> LOGGED = new ConcurrentHashMap<>();

  private Guard() {}

  /** Logs, once per cause and action, that Tracefold could not {@code what}; never throws. */
  static void failed(@Nullable Throwable cause, String what) {
    try {
      String key = what + '/' + (cause == null ? "" : cause.getClass().getName());
      if (LOGGED.size() < MAX_LOGGED_CAUSES && LOGGED.putIfAbsent(key, Boolean.TRUE) == null) {
        LOGGER.warn(
            "Tracefold could not {} (logged once per cause; the application is not affected)", what, cause);
      }
    } catch (RuntimeException | LinkageError ignored) {
      // logging itself failed: nothing more to do
    }
  }
}
