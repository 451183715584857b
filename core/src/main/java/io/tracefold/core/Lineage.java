package io.tracefold.core;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable lineage checkpoint: the peaks of an append-only lineage forest that together reach
 * every contributor of an entity's events up to {@link #coveredSequence()}.
 *
 * <p>A reconstruction that starts from a checkpoint links its peaks instead of re-linking the
 * history they cover, so repeated reconstructions cost O(1) spans amortized and every event stays
 * within ⌈log<sub>b</sub> n⌉ + 1 hops. A checkpoint is kept in memory per entity, and stored in
 * snapshot and read-model metadata in the compact, versioned text form of {@link #encode()}.
 */
public final class Lineage {

  /** Version prefix of the encoded form. */
  static final String VERSION_1 = "tf1";

  private static final Lineage EMPTY =
      new Lineage(Collections.emptyList(), Collections.emptyList(), -1, 0, 0, 0, 0, 0);

  private final List<LineageNode> peaks;
  private final List<LineageContributor> pending;
  private final long coveredSequence;
  private final long contributors;
  private final long invalid;
  private final long missing;
  private final long unsampled;
  private final long corrupt;

  Lineage(
      List<LineageNode> peaks,
      List<LineageContributor> pending,
      long coveredSequence,
      long contributors,
      long invalid,
      long missing,
      long unsampled,
      long corrupt) {
    this.peaks = peaks;
    this.pending = pending;
    this.coveredSequence = coveredSequence;
    this.contributors = contributors;
    this.invalid = invalid;
    this.missing = missing;
    this.unsampled = unsampled;
    this.corrupt = corrupt;
  }

  /** Returns the empty lineage: nothing covered. */
  public static Lineage empty() {
    return EMPTY;
  }

  /** Returns the forest's peaks, oldest history first; unmodifiable. */
  public List<LineageNode> peaks() {
    return peaks;
  }

  /**
   * Returns the contributors not yet under a full node, oldest first; unmodifiable. Empty for a
   * checkpoint of a replayable stream (aggregates re-read them); kept for entities whose events are
   * not re-read (read-model entities, see {@link Tracefold#append}).
   */
  public List<LineageContributor> pending() {
    return pending;
  }

  /**
   * Returns the highest event sequence number whose contributor is reached through the peaks (every
   * event up to it is covered), or -1 when nothing is covered.
   */
  public long coveredSequence() {
    return coveredSequence;
  }

  /** Returns whether nothing is covered. */
  public boolean isEmpty() {
    return coveredSequence < 0 && peaks.isEmpty() && pending.isEmpty();
  }

  /** Returns the number of distinct contributors reached through the peaks and pending ones. */
  public long contributors() {
    return contributors;
  }

  /** Returns the covered events whose trace context was malformed. */
  public long invalid() {
    return invalid;
  }

  /** Returns the covered events that carried no trace context. */
  public long missing() {
    return missing;
  }

  /** Returns the covered contributors whose span was not sampled. */
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
   * Returns the compact, versioned text form of this lineage, for snapshot or read-model metadata.
   * Its size is bounded by the number of peaks (at most {@code budget - 1} per forest level) and
   * of pending contributors (fewer than the budget).
   */
  public String encode() {
    StringBuilder out = new StringBuilder(32 + peaks.size() * 72 + pending.size() * 80);
    out.append(VERSION_1)
        .append('|').append(coveredSequence)
        .append('|').append(contributors)
        .append('|').append(invalid)
        .append('|').append(missing)
        .append('|').append(unsampled)
        .append('|').append(corrupt)
        .append('|');
    for (int i = 0; i < peaks.size(); i++) {
      LineageNode node = peaks.get(i);
      if (i > 0) {
        out.append(';');
      }
      SpanContext context = node.spanContext();
      out.append(node.level())
          .append(',').append(context.getTraceId()).append(context.getSpanId())
          .append(context.getTraceFlags().asHex())
          .append(',').append(node.contributors())
          .append(',').append(node.firstSequence())
          .append(',').append(node.lastSequence());
    }
    if (!pending.isEmpty()) {
      out.append('|');
      for (int i = 0; i < pending.size(); i++) {
        LineageContributor contributor = pending.get(i);
        if (i > 0) {
          out.append(';');
        }
        SpanContext context = contributor.spanContext();
        out.append(context.getTraceId()).append(context.getSpanId()).append(context.getTraceFlags().asHex())
            .append(',').append(contributor.sequence());
        String type = contributor.eventType();
        if (type != null && isEncodable(type)) {
          out.append(',').append(type);
        }
      }
    }
    return out.toString();
  }

  private static boolean isEncodable(String type) {
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (c == '|' || c == ';' || c == ',' || c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decodes the text form of {@link #encode()}. Never throws: a value that is null, of another
   * version or with an unreadable header decodes to an empty lineage with {@link #corrupt()} 1
   * (0 for null or empty); an unreadable peak or pending entry is skipped and counted in
   * {@link #corrupt()}, and the contributors it stood for move from {@link #contributors()} to
   * {@link #missing()}.
   *
   * @param encoded the stored value; may be null or of any type (non-text counts as corrupt)
   */
  public static Lineage decode(@Nullable Object encoded) {
    if (encoded == null || (encoded instanceof CharSequence && ((CharSequence) encoded).length() == 0)) {
      return EMPTY;
    }
    if (!(encoded instanceof CharSequence)) {
      return corrupted(1);
    }
    String text = encoded.toString();
    // Header: version | covered | contributors | invalid | missing | unsampled | corrupt | peaks [| pending]
    String[] parts = text.split("\\|", -1);
    if ((parts.length != 8 && parts.length != 9) || !VERSION_1.equals(parts[0])) {
      return corrupted(1);
    }
    long covered;
    long contributors;
    long invalid;
    long missing;
    long unsampled;
    long corrupt;
    try {
      covered = Long.parseLong(parts[1]);
      contributors = Long.parseLong(parts[2]);
      invalid = Long.parseLong(parts[3]);
      missing = Long.parseLong(parts[4]);
      unsampled = Long.parseLong(parts[5]);
      corrupt = Long.parseLong(parts[6]);
    } catch (NumberFormatException e) {
      return corrupted(1);
    }
    if (covered < -1 || contributors < 0 || invalid < 0 || missing < 0 || unsampled < 0 || corrupt < 0) {
      return corrupted(1);
    }
    List<LineageNode> peaks = new ArrayList<>();
    if (!parts[7].isEmpty()) {
      for (String entry : parts[7].split(";", -1)) {
        LineageNode node = decodeNode(entry);
        if (node == null) {
          corrupt++;
        } else {
          peaks.add(node);
        }
      }
    }
    List<LineageContributor> pending = new ArrayList<>();
    if (parts.length == 9) {
      for (String entry : parts[8].split(";", -1)) {
        LineageContributor contributor = decodeContributor(entry);
        if (contributor == null) {
          corrupt++;
        } else {
          pending.add(contributor);
        }
      }
    }
    if (corrupt > 0) {
      // Contributors under a lost entry cannot be reached any more: count them as missing.
      long reachable = pending.size();
      for (LineageNode node : peaks) {
        reachable += node.contributors();
      }
      if (reachable < contributors) {
        missing += contributors - reachable;
        contributors = reachable;
      }
    }
    return new Lineage(
        Collections.unmodifiableList(peaks),
        Collections.unmodifiableList(pending),
        covered,
        contributors,
        invalid,
        missing,
        unsampled,
        corrupt);
  }

  @Nullable
  private static LineageContributor decodeContributor(String entry) {
    String[] fields = entry.split(",", -1);
    if (fields.length < 2 || fields.length > 3) {
      return null;
    }
    SpanContext context = decodeContext(fields[0]);
    if (context == null) {
      return null;
    }
    try {
      String type = fields.length == 3 && !fields[2].isEmpty() ? fields[2] : null;
      return new LineageContributor(context, Long.parseLong(fields[1]), type);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Decodes 32 + 16 + 2 hex characters of trace id, span id and flags; null if invalid. */
  @Nullable
  private static SpanContext decodeContext(String ids) {
    if (ids.length() != 50) {
      return null;
    }
    String traceparent = "00-" + ids.substring(0, 32) + '-' + ids.substring(32, 48) + '-' + ids.substring(48);
    ParsedTraceparent parsed = new ParsedTraceparent();
    if (!W3CTraceContext.parseTraceparent(traceparent, parsed)) {
      return null;
    }
    return parsed.toSpanContext(TraceState.getDefault());
  }

  @Nullable
  private static LineageNode decodeNode(String entry) {
    String[] fields = entry.split(",", -1);
    if (fields.length != 5) {
      return null;
    }
    try {
      int level = Integer.parseInt(fields[0]);
      long contributors = Long.parseLong(fields[2]);
      long first = Long.parseLong(fields[3]);
      long last = Long.parseLong(fields[4]);
      if (level < 0 || level > 64 || contributors < 0 || first > last) {
        return null;
      }
      SpanContext context = decodeContext(fields[1]);
      return context == null ? null : new LineageNode(context, level, contributors, first, last);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Lineage corrupted(long count) {
    return new Lineage(Collections.emptyList(), Collections.emptyList(), -1, 0, 0, 0, 0, count);
  }

  /** Returns a lineage of these peaks and totals, without pending contributors; for the engine. */
  static Lineage of(
      List<LineageNode> peaks,
      long coveredSequence,
      long contributors,
      long invalid,
      long missing,
      long unsampled,
      long corrupt) {
    return of(peaks, Collections.emptyList(), coveredSequence, contributors, invalid, missing, unsampled, corrupt);
  }

  /** Returns a lineage of these peaks, pending contributors and totals; for the engine. */
  static Lineage of(
      List<LineageNode> peaks,
      List<LineageContributor> pending,
      long coveredSequence,
      long contributors,
      long invalid,
      long missing,
      long unsampled,
      long corrupt) {
    return new Lineage(
        Collections.unmodifiableList(new ArrayList<>(peaks)),
        Collections.unmodifiableList(new ArrayList<>(pending)),
        coveredSequence,
        contributors,
        invalid,
        missing,
        unsampled,
        corrupt);
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
        && peaks.equals(that.peaks)
        && pending.equals(that.pending);
  }

  @Override
  public int hashCode() {
    return Objects.hash(peaks, pending, coveredSequence, contributors, invalid, missing, unsampled, corrupt);
  }

  @Override
  public String toString() {
    return "Lineage{covered=" + coveredSequence + ", contributors=" + contributors + ", peaks=" + peaks.size()
        + ", pending=" + pending.size()
        + ", invalid=" + invalid + ", missing=" + missing + ", corrupt=" + corrupt + '}';
  }
}
