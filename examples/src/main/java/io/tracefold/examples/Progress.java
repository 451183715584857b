package io.tracefold.examples;

import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.ENTITY_TYPE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Progress lines while the workload runs: phases, order counts in steps of 10 %, and the moments
 * that matter for provenance, seen in the spans as they end (a snapshot taken, an aggregate
 * crossing the link budget). Thread-safe: clients report concurrently.
 */
final class Progress implements Consumer<SpanData> {

  private final PrintStream out;
  private final long start = System.nanoTime();
  private final int budget;
  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private final AtomicInteger snapshots = new AtomicInteger();
  private final AtomicInteger ordersDone = new AtomicInteger();
  private final Set<String> crossed = ConcurrentHashMap.newKeySet();
  private volatile int ordersTotal;
  private volatile int nextStep;

  Progress(PrintStream out, int budget) {
    this.out = out;
    this.budget = budget;
  }

  /** Prints a phase heading. */
  void phase(String text) {
    line("▶ " + text);
  }

  /** Prints a detail line. */
  void info(String text) {
    line("  " + text);
  }

  /** Prints a warning. */
  void warn(String text) {
    line("  ! " + text);
  }

  void startOrders(int total) {
    ordersTotal = total;
    nextStep = 1;
  }

  /** Counts a finished order; prints a line at every further 10 % of the total. */
  void orderDone(long commands) {
    int done = ordersDone.incrementAndGet();
    int total = ordersTotal;
    synchronized (this) {
      if (total == 0 || done * 10L < (long) nextStep * total) {
        return;
      }
      while (done * 10L >= (long) nextStep * total) {
        nextStep++;
      }
    }
    info(String.format(Locale.ROOT, "%4d/%d orders · %,d commands · %,d events · %,d spans",
        done, total, commands, events.get(), spans.get()));
  }

  /** Returns the snapshots seen so far. */
  int snapshots() {
    return snapshots.get();
  }

  /** Returns the events published so far. */
  long events() {
    return events.get();
  }

  /** Returns the spans ended so far. */
  long spans() {
    return spans.get();
  }

  @Override
  public void accept(SpanData span) {
    spans.incrementAndGet();
    String name = span.getName();
    if (name.startsWith("EventBus.publishEvent")) {
      events.incrementAndGet();
    } else if (name.startsWith("Snapshotter.createSnapshot")) {
      snapshots.incrementAndGet();
      info("◆ snapshot of " + entity(span) + ": its span reaches all " + span.getAttributes().get(CONTRIBUTORS)
          + " events so far; later loads start from it and still reach them");
    } else if (name.startsWith("Repository.initializeState") || name.startsWith("Projection.update")) {
      Long contributors = span.getAttributes().get(CONTRIBUTORS);
      Long lineage = span.getAttributes().get(LINEAGE_SPANS);
      if (contributors != null && contributors > budget && crossed.add(name + entity(span))) {
        info("◆ " + entity(span) + " crossed the " + budget + "-link budget (" + contributors
            + " contributing events): " + name.substring(0, name.indexOf('('))
            + " now reaches them through lineage spans"
            + (lineage != null && lineage > 0 ? " (" + lineage + " emitted)" : ""));
      }
    }
  }

  private static String entity(SpanData span) {
    return span.getAttributes().get(ENTITY_TYPE) + " " + span.getAttributes().get(ENTITY_ID);
  }

  private void line(String text) {
    double seconds = (System.nanoTime() - start) / 1e9;
    synchronized (out) {
      out.printf(Locale.ROOT, "[%5.1fs] %s%n", seconds, text);
    }
  }
}
