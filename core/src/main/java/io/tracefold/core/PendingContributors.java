package io.tracefold.core;

import io.opentelemetry.api.trace.TraceState;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The pending contributors of a {@link Lineage}, packed: per contributor four {@code long}s (trace
 * id high and low, span id, sequence with the trace flags in its top byte) and a reference to its
 * (shared) event type, 36 bytes of array space — no object per contributor. Immutable.
 *
 * <p>{@link #get(int)} makes a {@link LineageContributor} (its own span context) each time: only for
 * what is linked or encoded. The engine's hot loops (deduplication, sampling counts, sequences) read
 * the primitives.
 *
 * <p>A state that only appends to another shares its arrays: entries below a list's size never
 * change, and the first list to append past the arrays' used length claims the slack (a quarter of
 * the size) with a compare-and-set; any other copies. So an entity updated event by event copies
 * its pending contributors once per quarter of their number, not on every update.
 */
final class PendingContributors extends AbstractList<LineageContributor> implements RandomAccess {

  /** The longs of one contributor. */
  private static final int STRIDE = 4;

  static final PendingContributors EMPTY =
      new PendingContributors(new long[0], new String[0], null, new AtomicInteger(Integer.MAX_VALUE), 0);

  private final long[] ids;
  private final @Nullable String[] types;
  // Null unless a contributor has a non-empty trace state (nearly never).
  private final @Nullable TraceState @Nullable [] states;
  // How many entries of the arrays some list covers; shared by the lists on the same arrays.
  private final AtomicInteger used;
  private final int size;

  private PendingContributors(
      long[] ids, @Nullable String[] types, @Nullable TraceState @Nullable [] states, AtomicInteger used, int size) {
    this.ids = ids;
    this.types = types;
    this.states = states;
    this.used = used;
    this.size = size;
  }

  /**
   * Returns these contributors followed by {@code added[0..count)}: on the same arrays when they
   * have room and no other list appended to them yet, else on a copy with room to grow.
   */
  PendingContributors appended(LineageContributor[] added, int count) {
    if (count == 0) {
      return this;
    }
    int needed = size + count;
    // In place only for contributors without a trace state (their slots in states stay null).
    if (needed <= types.length && allDefaultStates(added, count) && used.compareAndSet(size, needed)) {
      for (int k = 0; k < count; k++) {
        added[k].copyIds(ids, (size + k) * STRIDE);
        types[size + k] = added[k].eventType();
      }
      return new PendingContributors(ids, types, states, used, needed);
    }
    Builder builder = new Builder(needed + Math.max(4, needed / 4));
    for (int i = 0; i < size; i++) {
      builder.addFrom(this, i);
    }
    for (int k = 0; k < count; k++) {
      builder.add(added[k]);
    }
    return builder.buildWithRoom();
  }

  private static boolean allDefaultStates(LineageContributor[] added, int count) {
    for (int k = 0; k < count; k++) {
      if (added[k].keptTraceState() != null) {
        return false;
      }
    }
    return true;
  }

  /** Returns these contributors packed (the same instance if already packed). */
  static PendingContributors of(java.util.List<LineageContributor> contributors) {
    if (contributors instanceof PendingContributors) {
      return (PendingContributors) contributors;
    }
    if (contributors.isEmpty()) {
      return EMPTY;
    }
    Builder builder = new Builder(contributors.size());
    for (LineageContributor contributor : contributors) {
      builder.add(contributor);
    }
    return builder.build();
  }

  @Override
  public LineageContributor get(int index) {
    check(index);
    int at = index * STRIDE;
    long packed = ids[at + 3];
    return LineageContributor.create(
        ids[at], ids[at + 1], ids[at + 2], LineageContributor.flagsOf(packed),
        states == null ? null : states[index], LineageContributor.sequenceOf(packed), types[index]);
  }

  @Override
  public int size() {
    return size;
  }

  /** Returns the event sequence number of contributor {@code index}. */
  long sequence(int index) {
    check(index);
    return LineageContributor.sequenceOf(ids[index * STRIDE + 3]);
  }

  /** Returns whether the span of contributor {@code index} was sampled. */
  boolean sampled(int index) {
    check(index);
    return (LineageContributor.flagsOf(ids[index * STRIDE + 3]) & 0x01) != 0;
  }

  /** Returns whether any contributor is the span with these ids. */
  boolean containsSpan(long traceIdHigh, long traceIdLow, long spanId) {
    for (int at = 0, end = size * STRIDE; at < end; at += STRIDE) {
      if (ids[at + 2] == spanId && ids[at + 1] == traceIdLow && ids[at] == traceIdHigh) {
        return true;
      }
    }
    return false;
  }

  private void check(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + ", size " + size);
    }
  }

  /** Collects contributors into a packed list. */
  static final class Builder {
    private long[] ids;
    private @Nullable String[] types;
    private @Nullable TraceState @Nullable [] states;
    private int size;

    Builder(int capacity) {
      this.ids = new long[Math.max(1, capacity) * STRIDE];
      this.types = new String[Math.max(1, capacity)];
    }

    /** Adds contributor {@code index} of {@code from}, copying its primitives. */
    Builder addFrom(PendingContributors from, int index) {
      from.check(index);
      ensure();
      System.arraycopy(from.ids, index * STRIDE, ids, size * STRIDE, STRIDE);
      types[size] = from.types[index];
      TraceState state = from.states == null ? null : from.states[index];
      if (state != null) {
        states()[size] = state;
      }
      size++;
      return this;
    }

    /** Adds a contributor. */
    Builder add(LineageContributor contributor) {
      ensure();
      int at = size * STRIDE;
      contributor.copyIds(ids, at);
      types[size] = contributor.eventType();
      TraceState state = contributor.keptTraceState();
      if (state != null) {
        states()[size] = state;
      }
      size++;
      return this;
    }

    private @Nullable TraceState[] states() {
      if (states == null) {
        states = new TraceState[types.length];
      }
      return states;
    }

    private void ensure() {
      if (size == types.length) {
        int capacity = types.length * 2;
        ids = Arrays.copyOf(ids, capacity * STRIDE);
        types = Arrays.copyOf(types, capacity);
        if (states != null) {
          states = Arrays.copyOf(states, capacity);
        }
      }
    }

    /** Returns the packed list (arrays trimmed to its size). */
    PendingContributors build() {
      if (size == 0) {
        return EMPTY;
      }
      long[] packedIds = ids.length == size * STRIDE ? ids : Arrays.copyOf(ids, size * STRIDE);
      String[] packedTypes = types.length == size ? types : Arrays.copyOf(types, size);
      TraceState[] packedStates = states == null || states.length == size ? states : Arrays.copyOf(states, size);
      return new PendingContributors(packedIds, packedTypes, packedStates, new AtomicInteger(size), size);
    }

    /** Returns the packed list on the arrays as they are (room to append in place). */
    PendingContributors buildWithRoom() {
      if (size == 0) {
        return EMPTY;
      }
      return new PendingContributors(ids, types, states, new AtomicInteger(size), size);
    }
  }
}
