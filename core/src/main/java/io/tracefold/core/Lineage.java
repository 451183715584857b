package io.tracefold.core;

import io.tracefold.core.internal.W3CTraceContext;
import io.tracefold.core.internal.ParsedTraceparent;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The lineage state of one event stream (an aggregate's, or the events that built one read-model
 * entity): immutable, whatever holds it (an in-memory checkpoint, snapshot metadata, a lineage
 * store).
 *
 * <p>It records every contributor of the stream up to {@link #coveredSequence()}: most of them
 * under the {@link #peaks()} of an append-only lineage forest (lineage spans, each known to have
 * been exported), the rest as {@link #pending()} contributors not yet under a node (recorded by
 * unsampled spans, or fewer than a budget). A reconstruction links the peaks and the pending
 * contributors instead of the whole history, so repeated reconstructions cost O(1) spans amortized
 * and every event stays within ⌈log<sub>b</sub> n⌉ + 1 hops.
 *
 * <p>A lineage is <b>anchored</b> to the stream it describes ({@link #firstEventId()} and
 * {@link #lastEventId()}, the identifiers of its first recorded event and of the event at its
 * covered sequence): a reader that sees other events at those places discards it. It carries the
 * time its oldest lineage node was emitted ({@link #emittedAtMillis()}), so that history older than
 * trace retention can be emitted afresh. Its text form ({@link #encode()}) is versioned and decoded
 * with bounds ({@link #decode(Object)}).
 */
public final class Lineage {

  /** Version prefix of the first encoded form (no anchor, no age); still decoded. */
  static final String VERSION_1 = "tf1";

  /** Version prefix of the encoded form without a tail node (written whenever there is none). */
  static final String VERSION_2 = "tf2";

  /** Version prefix of the encoded form with a tail node: the {@link #VERSION_2} fields, then the tail. */
  static final String VERSION_3 = "tf3";

  /** The longest encoded lineage {@link #decode} reads; a longer value is corrupt. */
  public static final int MAX_ENCODED_LENGTH = 2 * 1024 * 1024;

  /** The most forest peaks {@link #decode} accepts (a forest of 2^63 events has far fewer). */
  public static final int MAX_PEAKS = 4096;

  /** The longest event identifier kept as it is in an anchor; longer ones are kept as a digest. */
  static final int MAX_ANCHOR_ID_LENGTH = 128;

  private static final int MAX_LEVEL = 64;

  private static final Lineage EMPTY =
      new Lineage(Collections.emptyList(), PendingContributors.EMPTY, -1, 0, 0, 0, 0, 0, 0, 0, null, null, null);

  private final List<LineageNode> peaks;
  private final PendingContributors pending;
  private final long coveredSequence;
  private final long contributors;
  private final long invalid;
  private final long missing;
  private final long unsampled;
  private final long corrupt;
  private final long dropped;
  private final long emittedAtMillis;
  // Anchor forms (anchorId), or as decode admits them: always encodable text, never empty.
  private final @Nullable String firstEventId;
  private final @Nullable String lastEventId;
  // A level-0 lineage span over the first tail.contributors() pending contributors (exported), so
  // a reconstruction links it instead of each of them; null when there is none.
  private final @Nullable LineageNode tail;

  Lineage(
      List<LineageNode> peaks,
      List<LineageContributor> pending,
      long coveredSequence,
      long contributors,
      long invalid,
      long missing,
      long unsampled,
      long corrupt,
      long dropped,
      long emittedAtMillis,
      @Nullable String firstEventId,
      @Nullable String lastEventId,
      @Nullable LineageNode tail) {
    this.peaks = peaks;
    this.pending = PendingContributors.of(pending);
    this.coveredSequence = coveredSequence;
    this.contributors = contributors;
    this.invalid = invalid;
    this.missing = missing;
    this.unsampled = unsampled;
    this.corrupt = corrupt;
    this.dropped = dropped;
    this.emittedAtMillis = emittedAtMillis;
    this.firstEventId = firstEventId;
    this.lastEventId = lastEventId;
    this.tail = tail;
  }

  /** Returns the empty lineage: nothing recorded. */
  public static Lineage empty() {
    return EMPTY;
  }

  /** Returns the forest's peaks (each an exported lineage span), oldest history first; unmodifiable. */
  List<LineageNode> peaks() {
    return peaks;
  }

  /** Returns the recorded contributors not yet under a lineage node, oldest first; unmodifiable, packed. */
  PendingContributors pending() {
    return pending;
  }

  /**
   * Returns the tail node: an exported level-0 lineage span that reaches the first
   * {@code tail().contributors()} {@link #pending()} contributors (fewer than a full node), so that
   * a reconstruction links it instead of each of them; null when there is none.
   */
  @Nullable LineageNode tail() {
    return tail;
  }

  /**
   * Returns the span contexts of the lineage spans this state links for its history: the forest's
   * peaks, oldest history first, then the tail node over the oldest pending contributors if there
   * is one (for links into a trace UI).
   */
  public List<SpanContext> peakContexts() {
    List<SpanContext> contexts = new ArrayList<>(peaks.size() + 1);
    for (LineageNode peak : peaks) {
      contexts.add(peak.spanContext());
    }
    if (tail != null) {
      contexts.add(tail.spanContext());
    }
    return Collections.unmodifiableList(contexts);
  }

  /**
   * Returns the span contexts of the recorded contributors not yet under a lineage node, oldest
   * first (the latest event spans of the history; sampled or not, see {@link SpanContext#isSampled()}).
   */
  public List<SpanContext> pendingContexts() {
    return Collections.unmodifiableList(new ArrayList<SpanContext>(pending));
  }

  /**
   * Returns the number of lineage spans a reconstruction links for the history: the forest's peaks
   * and the tail node, if any (the size of {@link #peakContexts()}).
   */
  public int peakCount() {
    return peaks.size() + (tail == null ? 0 : 1);
  }

  /** Returns the number of recorded contributors not yet under a lineage node. */
  public int pendingCount() {
    return pending.size();
  }

  /**
   * Returns the highest event sequence number recorded (every event of the stream up to it is
   * reached through the peaks or pending contributors, or counted), or -1 when nothing is.
   */
  public long coveredSequence() {
    return coveredSequence;
  }

  /** Returns whether nothing is recorded. */
  public boolean isEmpty() {
    return coveredSequence < 0 && peaks.isEmpty() && pending.isEmpty();
  }

  /** Returns the number of distinct contributors reached through the peaks and pending ones. */
  public long contributors() {
    return contributors;
  }

  /** Returns the recorded events whose trace context was malformed. */
  public long invalid() {
    return invalid;
  }

  /** Returns the recorded events that carried no trace context. */
  public long missing() {
    return missing;
  }

  /** Returns the recorded contributors whose span was not sampled (possibly never exported). */
  public long unsampled() {
    return unsampled;
  }

  /**
   * Returns the number of entries lost to corruption when this lineage was decoded (0 for a
   * lineage built in this process). Contributors under a lost entry can no longer be reached.
   */
  public long corrupt() {
    return corrupt;
  }

  /**
   * Returns the contributors dropped because more were pending than
   * {@link LinkLimits#getMaxPendingContributors()} allows (no sampled span emitted a node for them).
   */
  public long dropped() {
    return dropped;
  }

  /**
   * Returns when the oldest lineage node under the peaks was emitted (epoch milliseconds), or 0 when
   * there is no peak. History older than trace retention may no longer be reachable in the backend.
   */
  public long emittedAtMillis() {
    return emittedAtMillis;
  }

  /** Returns the anchor form of the identifier of the first recorded event, or null if unknown. */
  public @Nullable String firstEventId() {
    return firstEventId;
  }

  /** Returns the anchor form of the identifier of the event at {@link #coveredSequence()}, or null. */
  public @Nullable String lastEventId() {
    return lastEventId;
  }

  /**
   * Returns this lineage anchored to a stream: {@code firstEventId} (kept if this lineage already
   * has one) and {@code lastEventId}, the identifiers of the first recorded event and of the event at
   * {@link #coveredSequence()}. Identifiers are kept in their {@link #anchorId anchor form}.
   */
  public Lineage anchoredTo(@Nullable String firstEventId, @Nullable String lastEventId) {
    String first = this.firstEventId != null ? this.firstEventId : anchorId(firstEventId);
    // The steady state anchors to the same last event again: its anchor form is known.
    String last = this.lastEventId != null && this.lastEventId.equals(lastEventId) && isKeptAsIs(this.lastEventId)
        ? this.lastEventId
        : anchorId(lastEventId);
    if (Objects.equals(first, this.firstEventId) && Objects.equals(last, this.lastEventId)) {
      return this;
    }
    return new Lineage(
        peaks, pending, coveredSequence, contributors, invalid, missing, unsampled, corrupt, dropped,
        emittedAtMillis, first, last, tail);
  }

  /**
   * Returns whether {@code eventId} is the event an anchor names: true when the anchor is unknown
   * (null), else when the identifier's {@link #anchorId anchor form} equals it.
   */
  public static boolean anchorMatches(@Nullable String anchor, @Nullable String eventId) {
    if (anchor == null) {
      return true;
    }
    if (eventId == null) {
      return false;
    }
    if (isKeptAsIs(anchor)) {
      // Only that same identifier has this anchor form: no scan of the identifier.
      return anchor.equals(eventId);
    }
    return anchor.equals(anchorId(eventId));
  }

  /**
   * Returns whether an anchor is an identifier kept as it is, not a digest: an anchor is always
   * encodable text (as {@link #anchorId} makes it and {@link #decode} admits it), so this needs no
   * scan of its characters.
   */
  private static boolean isKeptAsIs(String anchor) {
    return !anchor.isEmpty() && anchor.charAt(0) != '#' && anchor.length() <= MAX_ANCHOR_ID_LENGTH;
  }

  /**
   * Returns the form an event identifier takes in an anchor: the identifier itself when it is short
   * printable ASCII without separators (Axon's UUIDs), else {@code #} and a hex digest, so that
   * stored state stays bounded whatever identifiers an application uses.
   */
  public static @Nullable String anchorId(@Nullable String eventId) {
    if (eventId == null) {
      return null;
    }
    if (eventId.length() <= MAX_ANCHOR_ID_LENGTH && !eventId.isEmpty() && eventId.charAt(0) != '#'
        && isEncodable(eventId)) {
      return eventId;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(1 + 32);
      hex.append('#');
      for (int i = 0; i < 16; i++) {
        hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * Returns the compact, versioned text form of this lineage, for snapshot or read-model metadata.
   * Its size is bounded by the number of peaks (at most {@code budget - 1} per forest level) and of
   * pending contributors ({@link LinkLimits#getMaxPendingContributors()}).
   */
  public String encode() {
    StringBuilder out = new StringBuilder(168 + peaks.size() * 72 + pending.size() * 80);
    out.append(tail == null ? VERSION_2 : VERSION_3)
        .append('|').append(coveredSequence)
        .append('|').append(contributors)
        .append('|').append(invalid)
        .append('|').append(missing)
        .append('|').append(unsampled)
        .append('|').append(corrupt)
        .append('|').append(dropped)
        .append('|').append(emittedAtMillis)
        .append('|').append(firstEventId == null ? "" : firstEventId)
        .append('|').append(lastEventId == null ? "" : lastEventId)
        .append('|');
    for (int i = 0; i < peaks.size(); i++) {
      if (i > 0) {
        out.append(';');
      }
      appendNode(out, peaks.get(i));
    }
    out.append('|');
    for (int i = 0; i < pending.size(); i++) {
      LineageContributor contributor = pending.get(i);
      if (i > 0) {
        out.append(';');
      }
      contributor.appendIds(out);
      out.append(',').append(contributor.sequence());
      String type = contributor.eventType();
      if (type != null && type.length() <= MAX_ANCHOR_ID_LENGTH && isEncodable(type)) {
        out.append(',').append(type);
      }
    }
    if (tail != null) {
      appendNode(out.append('|'), tail);
    }
    return out.toString();
  }

  private static void appendNode(StringBuilder out, LineageNode node) {
    SpanContext context = node.spanContext();
    out.append(node.level())
        .append(',').append(context.getTraceId()).append(context.getSpanId())
        .append(context.getTraceFlags().asHex())
        .append(',').append(node.contributors())
        .append(',').append(node.firstSequence())
        .append(',').append(node.lastSequence());
  }

  private static boolean isEncodable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '|' || c == ';' || c == ',' || c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decodes the text form of {@link #encode()} (this version's, or the first one's). Never throws,
   * and reads within bounds: a value that is null or empty decodes to the empty lineage; one of
   * another type or version, longer than {@link #MAX_ENCODED_LENGTH}, with an unreadable header,
   * negative or overflowing counts, more than {@link #MAX_PEAKS} peaks or
   * {@link LinkLimits#MAX_PENDING_CONTRIBUTORS} pending contributors decodes to an empty lineage
   * with {@link #corrupt()} 1. An unreadable peak or pending entry is skipped and counted in
   * {@link #corrupt()}, and the contributors it stood for move from {@link #contributors()} to
   * {@link #missing()}.
   *
   * <p>Whether the lineage belongs to the stream at hand is the reader's check: compare its anchor
   * and covered sequence with the stream (e.g. a snapshot's lineage must not cover more than the
   * snapshot).
   *
   * @param encoded the stored value; may be null or of any type (non-text counts as corrupt)
   */
  public static Lineage decode(@Nullable Object encoded) {
    try {
      return decodeChecked(encoded);
    } catch (RuntimeException e) {
      // A foreign CharSequence that throws, or a defect: stored state is never trusted blindly.
      return corrupted(1);
    }
  }

  private static Lineage decodeChecked(@Nullable Object encoded) {
    if (encoded == null || (encoded instanceof CharSequence && ((CharSequence) encoded).length() == 0)) {
      return EMPTY;
    }
    if (!(encoded instanceof CharSequence) || ((CharSequence) encoded).length() > MAX_ENCODED_LENGTH) {
      return corrupted(1);
    }
    String text = encoded.toString();
    boolean v3 = text.startsWith(VERSION_3 + '|');
    boolean v2 = v3 || text.startsWith(VERSION_2 + '|');
    if (!v2 && !text.startsWith(VERSION_1 + '|')) {
      return corrupted(1);
    }
    // v1: version | covered | contributors | invalid | missing | unsampled | corrupt | peaks [| pending]
    // v2: version | covered | contributors | invalid | missing | unsampled | corrupt | dropped
    //     | emittedAt | firstId | lastId | peaks | pending
    // v3: the fields of v2 | tail
    String[] parts = text.split("\\|", -1);
    int header = v2 ? 11 : 7;
    if (v3 ? parts.length != 14 : v2 ? parts.length != 13 : parts.length != 8 && parts.length != 9) {
      return corrupted(1);
    }
    long[] numbers = new long[v2 ? 8 : 6];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = parseNonNegative(parts[i + 1], i == 0);
      if (numbers[i] == Long.MIN_VALUE) {
        return corrupted(1);
      }
    }
    long covered = numbers[0];
    long contributors = numbers[1];
    long invalid = numbers[2];
    long missing = numbers[3];
    long unsampled = numbers[4];
    long corrupt = numbers[5];
    long dropped = v2 ? numbers[6] : 0;
    long emittedAt = v2 ? numbers[7] : 0;
    String first = v2 ? anchorField(parts[9]) : null;
    String last = v2 ? anchorField(parts[10]) : null;
    if (v2 && ((!parts[9].isEmpty() && first == null) || (!parts[10].isEmpty() && last == null))) {
      return corrupted(1);
    }
    String peaksPart = parts[header];
    String pendingPart = parts.length > header + 1 ? parts[header + 1] : "";
    if (count(peaksPart, ';') >= MAX_PEAKS || count(pendingPart, ';') >= LinkLimits.MAX_PENDING_CONTRIBUTORS) {
      return corrupted(1);
    }
    List<LineageNode> peaks = new ArrayList<>();
    long reachable = 0;
    if (!peaksPart.isEmpty()) {
      for (String entry : peaksPart.split(";", -1)) {
        LineageNode node = decodeNode(entry);
        if (node == null || node.contributors() > Long.MAX_VALUE - reachable) {
          corrupt++;
        } else {
          peaks.add(node);
          reachable += node.contributors();
        }
      }
    }
    List<LineageContributor> pending = new ArrayList<>();
    if (!pendingPart.isEmpty()) {
      for (String entry : pendingPart.split(";", -1)) {
        LineageContributor contributor = decodeContributor(entry);
        if (contributor == null) {
          corrupt++;
        } else {
          pending.add(contributor);
        }
      }
    }
    reachable += pending.size();
    LineageNode tail = null;
    if (v3) {
      tail = decodeNode(parts[13]);
      if (tail == null || !coversPendingPrefix(tail, pending)) {
        // The pending contributors themselves are still reached: only the shortcut is lost.
        corrupt++;
        tail = null;
      }
    }
    if (corrupt > 0 && reachable < contributors) {
      // Contributors under a lost entry cannot be reached any more: count them as missing.
      missing = saturatedAdd(missing, contributors - reachable);
      contributors = reachable;
    } else if (reachable > contributors) {
      // More reachable than the header claims: the header is not to be trusted.
      return corrupted(1);
    }
    return new Lineage(
        Collections.unmodifiableList(peaks),
        Collections.unmodifiableList(pending),
        covered,
        contributors,
        invalid,
        missing,
        unsampled,
        corrupt,
        dropped,
        emittedAt,
        first,
        last,
        tail);
  }

  /**
   * Returns whether {@code tail} can be the tail node of {@code pending}: a level-0 node over its
   * first {@code tail.contributors()} entries, from the first one's sequence to the last one's.
   */
  static boolean coversPendingPrefix(LineageNode tail, List<LineageContributor> pending) {
    long count = tail.contributors();
    return tail.level() == 0
        && count > 0
        && count <= pending.size()
        && pending.get(0).sequence() == tail.firstSequence()
        && pending.get((int) count - 1).sequence() == tail.lastSequence();
  }

  /** Returns the value of a non-negative decimal (or -1 when allowed), or Long.MIN_VALUE if not one. */
  private static long parseNonNegative(String field, boolean minusOneAllowed) {
    if (field.isEmpty() || field.length() > 19) {
      return Long.MIN_VALUE;
    }
    try {
      long value = Long.parseLong(field);
      return value >= 0 || (minusOneAllowed && value == -1) ? value : Long.MIN_VALUE;
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  private static @Nullable String anchorField(String field) {
    if (field.isEmpty() || field.length() > MAX_ANCHOR_ID_LENGTH + 1 || !isEncodable(field)) {
      return null;
    }
    return field;
  }

  private static int count(String text, char separator) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == separator) {
        count++;
      }
    }
    return count;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  @Nullable
  private static LineageContributor decodeContributor(String entry) {
    String[] fields = entry.split(",", -1);
    if (fields.length < 2 || fields.length > 3) {
      return null;
    }
    ParsedTraceparent ids = decodeIds(fields[0]);
    long sequence = parseNonNegative(fields[1], false);
    if (ids == null || sequence == Long.MIN_VALUE) {
      return null;
    }
    String type = fields.length == 3 && !fields[2].isEmpty() && fields[2].length() <= MAX_ANCHOR_ID_LENGTH
        ? fields[2] : null;
    return LineageContributor.of(ids, sequence, type);
  }

  /** Decodes 32 + 16 + 2 hex characters of trace id, span id and flags; null if invalid. */
  @Nullable
  static SpanContext decodeContext(String ids) {
    ParsedTraceparent parsed = decodeIds(ids);
    return parsed == null ? null : parsed.toSpanContext(TraceState.getDefault());
  }

  /** Decodes 32 + 16 + 2 hex characters of trace id, span id and flags; null if invalid. */
  @Nullable
  private static ParsedTraceparent decodeIds(String ids) {
    if (ids.length() != 50) {
      return null;
    }
    String traceparent = "00-" + ids.substring(0, 32) + '-' + ids.substring(32, 48) + '-' + ids.substring(48);
    ParsedTraceparent parsed = new ParsedTraceparent();
    return W3CTraceContext.parseTraceparent(traceparent, parsed) ? parsed : null;
  }

  @Nullable
  private static LineageNode decodeNode(String entry) {
    String[] fields = entry.split(",", -1);
    if (fields.length != 5) {
      return null;
    }
    long level = parseNonNegative(fields[0], false);
    long contributors = parseNonNegative(fields[2], false);
    long first = parseNonNegative(fields[3], false);
    long last = parseNonNegative(fields[4], false);
    if (level == Long.MIN_VALUE || level > MAX_LEVEL || contributors == Long.MIN_VALUE || contributors == 0
        || first == Long.MIN_VALUE || last == Long.MIN_VALUE || first > last) {
      return null;
    }
    SpanContext context = decodeContext(fields[1]);
    return context == null ? null : new LineageNode(context, (int) level, contributors, first, last);
  }

  private static Lineage corrupted(long count) {
    return new Lineage(Collections.emptyList(), PendingContributors.EMPTY, -1, 0, 0, 0, 0, count, 0, 0, null, null, null);
  }

  /** Returns a lineage of these parts; for the engine. Lists are copied. */
  static Lineage of(
      List<LineageNode> peaks,
      List<LineageContributor> pending,
      long coveredSequence,
      long contributors,
      long invalid,
      long missing,
      long unsampled,
      long corrupt,
      long dropped,
      long emittedAtMillis,
      @Nullable String firstEventId,
      @Nullable String lastEventId) {
    return ofOwned(
        Collections.unmodifiableList(new ArrayList<>(peaks)),
        new ArrayList<>(pending),
        coveredSequence,
        contributors,
        invalid,
        missing,
        unsampled,
        corrupt,
        dropped,
        emittedAtMillis,
        firstEventId,
        lastEventId,
        null);
  }

  /**
   * Returns a lineage of these parts without copying; for the engine: {@code peaks} is unmodifiable
   * and never changed, {@code pending} packed (or a list no one else holds, packed here).
   */
  static Lineage ofOwned(
      List<LineageNode> peaks,
      List<LineageContributor> pending,
      long coveredSequence,
      long contributors,
      long invalid,
      long missing,
      long unsampled,
      long corrupt,
      long dropped,
      long emittedAtMillis,
      @Nullable String firstEventId,
      @Nullable String lastEventId,
      @Nullable LineageNode tail) {
    return new Lineage(
        peaks,
        PendingContributors.of(pending),
        coveredSequence,
        contributors,
        invalid,
        missing,
        unsampled,
        corrupt,
        dropped,
        emittedAtMillis,
        firstEventId,
        lastEventId,
        tail);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Lineage)) {
      return false;
    }
    Lineage that = (Lineage) o;
    return coveredSequence == that.coveredSequence
        && contributors == that.contributors
        && invalid == that.invalid
        && missing == that.missing
        && unsampled == that.unsampled
        && corrupt == that.corrupt
        && dropped == that.dropped
        && emittedAtMillis == that.emittedAtMillis
        && Objects.equals(firstEventId, that.firstEventId)
        && Objects.equals(lastEventId, that.lastEventId)
        && peaks.equals(that.peaks)
        && pending.equals(that.pending)
        && Objects.equals(tail, that.tail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(peaks, pending, coveredSequence, contributors, invalid, missing, unsampled, corrupt);
  }

  @Override
  public String toString() {
    return "Lineage{covered=" + coveredSequence + ", contributors=" + contributors + ", peaks=" + peaks.size()
        + ", pending=" + pending.size() + (tail == null ? "" : ", tail=" + tail.contributors())
        + ", invalid=" + invalid + ", missing=" + missing + ", corrupt=" + corrupt + ", dropped=" + dropped
        + ", anchor=" + firstEventId + ".." + lastEventId + '}';
  }
}
