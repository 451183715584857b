package io.tracefold.core;

import io.tracefold.core.internal.W3CTraceContext;
import io.tracefold.core.internal.ParsedTraceparent;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Collects the distinct trace contexts of the events read by one reconstruction, in stream order.
 *
 * <p>Fed one event at a time with the raw metadata values, it parses the {@code traceparent} in
 * place and deduplicates by (trace id, span id) in an open-addressing table of primitives: a
 * context already seen costs no allocation, and a value equal to the previous event's is not even
 * parsed again (events of one command often share it). A distinct context costs a bounded number of
 * bytes: four longs, a byte and two references, plus two table slots. Nothing here throws on bad
 * input: a malformed value is counted as invalid, an absent value or one of a non-text type as
 * missing.
 *
 * <p>Not thread-safe: one collector serves one reconstruction at a time; {@link #reset()} reuses it.
 */
public final class LinkCollector {

  private static final int INITIAL_CAPACITY = 16;
  private static final int RETAINED_CAPACITY = 1 << 16;

  private final ParsedTraceparent scratch = new ParsedTraceparent();

  // Distinct contributors, in order of first appearance.
  private long[] traceIdHigh = new long[INITIAL_CAPACITY];
  private long[] traceIdLow = new long[INITIAL_CAPACITY];
  private long[] spanId = new long[INITIAL_CAPACITY];
  private long[] sequence = new long[INITIAL_CAPACITY];
  private byte[] flags = new byte[INITIAL_CAPACITY];
  private @Nullable String[] eventType = new String[INITIAL_CAPACITY];
  private @Nullable String[] traceState = new String[INITIAL_CAPACITY];
  private int size;

  // Open-addressing hash table of (index + 1); 0 marks an empty slot.
  private int[] table = new int[INITIAL_CAPACITY * 2];

  // The previous event's traceparent value and whether it was invalid: equal values skip parsing.
  private @Nullable Object previous;
  private boolean previousInvalid;

  private long events;
  private long invalid;
  private long missing;
  private long unsampled;
  private long lastSequence = -1;
  private long firstSequence = -1;

  /** Creates an empty collector. */
  public LinkCollector() {}

  /**
   * Offers the trace context of one event.
   *
   * @param traceparent the event's {@code traceparent} metadata value; may be null or of any type
   *     (anything but a {@link CharSequence} counts as missing)
   * @param tracestate the event's {@code tracestate} metadata value; may be null or of any type
   * @param eventSequence the event's sequence number in its stream
   * @param type the event's payload type, kept for the link's attributes; may be null
   */
  public void offer(
      @Nullable Object traceparent, @Nullable Object tracestate, long eventSequence, @Nullable String type) {
    countEvent(eventSequence);
    try {
      collect(traceparent, tracestate, eventSequence, type);
    } catch (RuntimeException e) {
      // A foreign CharSequence or metadata value that throws: counted, never propagated.
      invalid++;
    }
  }

  private void collect(
      @Nullable Object traceparent, @Nullable Object tracestate, long eventSequence, @Nullable String type) {
    if (!(traceparent instanceof CharSequence)) {
      missing++;
      return;
    }
    if (traceparent.equals(previous)) {
      if (previousInvalid) {
        invalid++;
      }
      return;
    }
    // Only immutable text is remembered: a StringBuilder could change under us.
    previous = traceparent instanceof String ? traceparent : null;
    previousInvalid = !W3CTraceContext.parseTraceparent((CharSequence) traceparent, scratch);
    if (previousInvalid) {
      invalid++;
      return;
    }
    long hi = scratch.traceIdHigh();
    long lo = scratch.traceIdLow();
    long span = scratch.spanId();
    int mask = table.length - 1;
    int slot = mix(hi, lo, span) & mask;
    while (true) {
      int entry = table[slot];
      if (entry == 0) {
        break;
      }
      int i = entry - 1;
      if (spanId[i] == span && traceIdLow[i] == lo && traceIdHigh[i] == hi) {
        return;
      }
      slot = (slot + 1) & mask;
    }
    add(slot, hi, lo, span, eventSequence, type, tracestate);
  }

  /**
   * Counts an event that was read but whose contributor is already covered by a checkpoint, so it
   * is not offered again.
   */
  public void skipCovered(long eventSequence) {
    countEvent(eventSequence);
  }

  /**
   * Counts {@code count} events read in one run, from sequence {@code firstSequence} to {@code
   * lastSequence}, whose contributors are already covered by a checkpoint: the same as {@link
   * #skipCovered(long)} for each, in one call. Nothing is counted unless {@code count > 0} and
   * {@code firstSequence <= lastSequence}.
   */
  public void skipCovered(long firstSequence, long lastSequence, long count) {
    if (count <= 0 || firstSequence > lastSequence) {
      return;
    }
    countEvent(firstSequence);
    events += count - 1;
    if (lastSequence > this.lastSequence) {
      this.lastSequence = lastSequence;
    }
  }

  /**
   * Counts {@code count} events that contributed to the state but whose contexts cannot be read
   * any more (e.g. summarised by a snapshot that carries no provenance), as missing.
   */
  public void addMissing(long count) {
    if (count > 0) {
      missing += count;
    }
  }

  /**
   * Forgets everything collected. Costs O(contributors collected), not O(capacity); capacity grown
   * past {@value #RETAINED_CAPACITY} contributors is released, so one huge reconstruction does not
   * pin memory in a reused collector.
   */
  public void reset() {
    if (spanId.length > RETAINED_CAPACITY) {
      allocate(INITIAL_CAPACITY);
    } else {
      int mask = table.length - 1;
      for (int i = 0; i < size; i++) {
        int slot = mix(traceIdHigh[i], traceIdLow[i], spanId[i]) & mask;
        while (table[slot] != i + 1) {
          slot = (slot + 1) & mask;
        }
        table[slot] = 0;
      }
      Arrays.fill(eventType, 0, size, null);
      Arrays.fill(traceState, 0, size, null);
    }
    size = 0;
    previous = null;
    previousInvalid = false;
    events = 0;
    invalid = 0;
    missing = 0;
    unsampled = 0;
    lastSequence = -1;
    firstSequence = -1;
  }

  private void allocate(int capacity) {
    traceIdHigh = new long[capacity];
    traceIdLow = new long[capacity];
    spanId = new long[capacity];
    sequence = new long[capacity];
    flags = new byte[capacity];
    eventType = new String[capacity];
    traceState = new String[capacity];
    table = new int[capacity * 2];
  }

  /** Returns the number of events offered or skipped since creation or the last reset. */
  public long events() {
    return events;
  }

  /** Returns the number of distinct valid contexts collected. */
  public int distinct() {
    return size;
  }

  /** Returns the number of events whose {@code traceparent} was present but malformed. */
  public long invalid() {
    return invalid;
  }

  /** Returns the number of events without a {@code traceparent}, or with one of a non-text type. */
  public long missing() {
    return missing;
  }

  /** Returns the number of distinct contexts whose sampled flag is not set. */
  public long unsampled() {
    return unsampled;
  }

  /** Returns the highest sequence number offered or skipped, or -1 if none. */
  public long lastSequence() {
    return lastSequence;
  }

  /** Returns the first sequence number offered or skipped, or -1 if none. */
  public long firstSequence() {
    return firstSequence;
  }

  /** Returns the sequence number of the first event that carried contributor {@code i}. */
  long sequenceAt(int i) {
    return sequence[i];
  }

  /** Returns the payload type of the first event that carried contributor {@code i}, or null. */
  @Nullable
  String eventTypeAt(int i) {
    return eventType[i];
  }

  /** Returns whether contributor {@code i} was sampled. */
  boolean sampledAt(int i) {
    return (flags[i] & 1) != 0;
  }

  /** Returns whether contributor {@code i} is one of {@code pending}. */
  boolean isSpanIn(int i, PendingContributors pending) {
    return pending.containsSpan(traceIdHigh[i], traceIdLow[i], spanId[i]);
  }

  /**
   * Returns contributor {@code i} as a lineage contributor (its own span context, without hex
   * strings); allocates.
   */
  LineageContributor contributorAt(int i) {
    String state = traceState[i];
    return LineageContributor.create(
        traceIdHigh[i], traceIdLow[i], spanId[i], flags[i],
        state == null ? null : W3CTraceContext.parseTracestate(state), sequence[i], eventType[i]);
  }

  /** Builds the span context of contributor {@code i}; allocates, so only for emitted links. */
  SpanContext spanContextAt(int i) {
    scratch.set(traceIdHigh[i], traceIdLow[i], spanId[i], flags[i]);
    String state = traceState[i];
    TraceState parsed = state == null ? TraceState.getDefault() : W3CTraceContext.parseTracestate(state);
    return scratch.toSpanContext(parsed);
  }

  private void countEvent(long eventSequence) {
    if (events == 0) {
      firstSequence = eventSequence;
    }
    events++;
    if (eventSequence > lastSequence) {
      lastSequence = eventSequence;
    }
  }

  private void add(
      int slot, long hi, long lo, long span, long eventSequence, @Nullable String type, @Nullable Object state) {
    // Converted before anything is written, so a throwing value leaves no half-added contributor.
    String stateText = state instanceof CharSequence && ((CharSequence) state).length() > 0 ? state.toString() : null;
    if (size == spanId.length) {
      grow();
      // The table was rebuilt: find the new free slot.
      int mask = table.length - 1;
      slot = mix(hi, lo, span) & mask;
      while (table[slot] != 0) {
        slot = (slot + 1) & mask;
      }
    }
    int i = size++;
    traceIdHigh[i] = hi;
    traceIdLow[i] = lo;
    spanId[i] = span;
    sequence[i] = eventSequence;
    flags[i] = scratch.flags();
    eventType[i] = type;
    traceState[i] = stateText;
    table[slot] = i + 1;
    if (!scratch.isSampled()) {
      unsampled++;
    }
  }

  private void grow() {
    int capacity = spanId.length * 2;
    traceIdHigh = Arrays.copyOf(traceIdHigh, capacity);
    traceIdLow = Arrays.copyOf(traceIdLow, capacity);
    spanId = Arrays.copyOf(spanId, capacity);
    sequence = Arrays.copyOf(sequence, capacity);
    flags = Arrays.copyOf(flags, capacity);
    eventType = Arrays.copyOf(eventType, capacity);
    traceState = Arrays.copyOf(traceState, capacity);
    table = new int[capacity * 2];
    int mask = table.length - 1;
    for (int i = 0; i < size; i++) {
      int slot = mix(traceIdHigh[i], traceIdLow[i], spanId[i]) & mask;
      while (table[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      table[slot] = i + 1;
    }
  }

  private static int mix(long hi, long lo, long span) {
    // Ids are random, but a murmur-style finaliser keeps adversarial or sequential ids spread.
    long h = span * 0x9E3779B97F4A7C15L ^ lo ^ (hi * 0xC2B2AE3D27D4EB4FL);
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return (int) h;
  }
}
