package io.tracefold.axon;

import io.tracefold.core.LinkCollector;
import io.tracefold.core.Tracefold;

/**
 * One {@link LinkCollector} per thread, reused by the thread's next reconstruction or projection
 * update: a fresh collector's arrays are most of what collecting costs for a few events. A
 * collector is taken out while in use, so a nested use (a snapshot inside a load) gets its own.
 */
final class ReusedCollectors {

  // Collectors that held more contributors are not kept: a thread would pin their arrays.
  static final int MAX_REUSED_CONTRIBUTORS = 256;

  private static final ThreadLocal<LinkCollector> COLLECTORS = new ThreadLocal<>();

  private ReusedCollectors() {}

  /** Returns this thread's collector (empty), or a new one if it is in use. */
  static LinkCollector acquire(Tracefold tracefold) {
    LinkCollector collector = COLLECTORS.get();
    if (collector == null) {
      return tracefold.newCollector();
    }
    COLLECTORS.set(null);
    return collector;
  }

  /** Hands {@code collector} back to this thread; call at most once per {@link #acquire}. */
  static void release(LinkCollector collector) {
    if (collector.distinct() <= MAX_REUSED_CONTRIBUTORS && COLLECTORS.get() == null) {
      collector.reset();
      COLLECTORS.set(collector);
    }
  }
}
