package io.tracefold.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LineageCodecTest {

  @Test
  void encode_decode_roundTrips() {
    Lineage lineage = lineage(new SplittableRandom(1), 7);
    assertThat(Lineage.decode(lineage.encode())).isEqualTo(lineage);
  }

  @Test
  void decode_emptyOrNull_isEmptyAndNotCorrupt() {
    assertThat(Lineage.decode(null)).isSameAs(Lineage.empty());
    assertThat(Lineage.decode("")).isSameAs(Lineage.empty());
  }

  @Test
  void decode_wrongTypeOrVersion_isEmptyAndCounted() {
    assertThat(Lineage.decode(42).corrupt()).isEqualTo(1);
    assertThat(Lineage.decode(42).isEmpty()).isTrue();
    String encoded = lineage(new SplittableRandom(2), 3).encode();
    Lineage future = Lineage.decode("tf9" + encoded.substring(3));
    assertThat(future.isEmpty()).isTrue();
    assertThat(future.corrupt()).isEqualTo(1);
  }

  @Test
  void encode_decode_withTailNode_roundTripsAsVersion3() {
    Lineage lineage = withTail(3);
    String encoded = lineage.encode();
    assertThat(encoded).startsWith(Lineage.VERSION_3 + '|');
    assertThat(Lineage.decode(encoded)).isEqualTo(lineage);
    assertThat(Lineage.decode(encoded).tail()).isEqualTo(lineage.tail());
    // Without a tail node the form older readers know is written.
    assertThat(lineage(new SplittableRandom(5), 2).encode()).startsWith(Lineage.VERSION_2 + '|');
  }

  @Test
  void decode_tailNodeNotOverThePendingPrefix_isDroppedAndCountedWhileThePendingStay() {
    Lineage lineage = withTail(3);
    String encoded = lineage.encode();
    String[] parts = encoded.split("\\|", -1);
    LineageNode tail = lineage.tail();
    String ids = parts[13].split(",")[1];
    String[] tampered = {
      "0," + ids + ",3," + (tail.firstSequence() + 1) + "," + tail.lastSequence(), // wrong first sequence
      "0," + ids + ",9," + tail.firstSequence() + "," + tail.lastSequence(), // more than are pending
      "1," + ids + ",3," + tail.firstSequence() + "," + tail.lastSequence(), // not a leaf
      "garbage",
    };
    for (String bad : tampered) {
      parts[13] = bad;
      Lineage decoded = Lineage.decode(String.join("|", parts));
      assertThat(decoded.tail()).as(bad).isNull();
      assertThat(decoded.corrupt()).as(bad).isEqualTo(1);
      assertThat(decoded.pending()).as(bad).isEqualTo(lineage.pending());
      assertThat(decoded.contributors()).as(bad).isEqualTo(lineage.contributors());
    }
    // A fifteenth field is not version 3.
    assertThat(Lineage.decode(encoded + "|x").isEmpty()).isTrue();
  }

  /** A lineage of 5 pending contributors whose first {@code covered} are under a tail node. */
  private static Lineage withTail(int covered) {
    List<LineageContributor> pending = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pending.add(new LineageContributor(7, 100 + i, 200 + i, TraceFlags.getSampled().asByte(), 40 + i, "E"));
    }
    SpanContext node = SpanContext.create(
        TraceId.fromLongs(9, 9), SpanId.fromLong(99), TraceFlags.getSampled(), TraceState.getDefault());
    LineageNode tail = new LineageNode(node, 0, covered, 40, 40 + covered - 1);
    return Lineage.ofOwned(List.of(), pending, 44, 5, 0, 0, 0, 0, 0, 1_700_000_000_000L, "e-first", "e-last", tail);
  }

  @Test
  void decode_badPeaks_keepsValidOnesAndCountsTheRest() {
    Lineage lineage = lineage(new SplittableRandom(3), 4);
    String encoded = lineage.encode();
    String[] halves = encoded.split("\\|", -1);
    String[] peaks = halves[11].split(";");
    peaks[1] = peaks[1].replace(',', 'x');
    peaks[2] = "0," + "0".repeat(50) + ",1,1,1"; // all-zero ids: invalid context
    halves[11] = String.join(";", peaks);
    Lineage decoded = Lineage.decode(String.join("|", halves));

    assertThat(decoded.peaks()).containsExactly(lineage.peaks().get(0), lineage.peaks().get(3));
    assertThat(decoded.corrupt()).isEqualTo(2);
    assertThat(decoded.coveredSequence()).isEqualTo(lineage.coveredSequence());
    // The lost peaks' contributors are no longer claimed as reachable: they count as missing.
    long lost = lineage.peaks().get(1).contributors() + lineage.peaks().get(2).contributors();
    assertThat(decoded.contributors()).isEqualTo(lineage.contributors() - lost);
    assertThat(decoded.missing()).isEqualTo(lineage.missing() + lost);
  }

  @Property(tries = 2000)
  void decode_anyMutation_neverThrowsAndKeepsOnlyValidPeaks(
      @ForAll @IntRange(min = 0, max = 5) int peaks,
      @ForAll @IntRange(min = 0, max = 400) int position,
      @ForAll char replacement,
      @ForAll @IntRange(min = 0, max = 2) int mutation) {
    Lineage lineage = lineage(new SplittableRandom(position), peaks);
    String encoded = lineage.encode();
    int at = Math.min(position, encoded.length());
    String mutated;
    if (mutation == 0) {
      mutated = encoded.substring(0, at) + replacement + encoded.substring(Math.min(encoded.length(), at + 1));
    } else if (mutation == 1) {
      mutated = encoded.substring(0, at);
    } else {
      mutated = encoded.substring(0, at) + replacement + encoded.substring(at);
    }

    Lineage decoded = Lineage.decode(mutated);

    assertThat(decoded.peaks().size()).isLessThanOrEqualTo(peaks);
    if (header(mutated).equals(header(encoded))) {
      // Counts in the header are data (a mutation there may set any corrupt count); below it,
      // every lost entry is counted once, and at most one extra entry can appear (a split).
      assertThat(decoded.peaks().size() + decoded.corrupt()).isLessThanOrEqualTo(Math.max(1, peaks + 1));
    }
    for (LineageNode node : decoded.peaks()) {
      assertThat(node.spanContext().isValid()).isTrue();
      assertThat(node.firstSequence()).isLessThanOrEqualTo(node.lastSequence());
    }
  }

  /** Returns the version and counts of an encoded lineage (its first eight fields). */
  private static String header(String encoded) {
    int end = -1;
    for (int i = 0; i < 8; i++) {
      end = encoded.indexOf('|', end + 1);
      if (end < 0) {
        return encoded;
      }
    }
    return encoded.substring(0, end);
  }

  @Test
  void encode_isCompact() {
    // Bounded by the number of peaks: under 80 characters each.
    Lineage lineage = lineage(new SplittableRandom(4), 100);
    assertThat(lineage.encode().length()).isLessThan(40 + 100 * 80);
  }

  static Lineage lineage(SplittableRandom random, int peaks) {
    List<LineageNode> nodes = new ArrayList<>();
    long sequence = 0;
    for (int i = 0; i < peaks; i++) {
      SpanContext context =
          SpanContext.create(
              TraceId.fromLongs(random.nextLong(), random.nextLong() | 1),
              SpanId.fromLong(random.nextLong() | 1),
              TraceFlags.getSampled(),
              TraceState.getDefault());
      long contributors = 1 + random.nextInt(128);
      nodes.add(new LineageNode(toRemote(context), peaks - i, contributors, sequence, sequence + contributors - 1));
      sequence += contributors;
    }
    return Lineage.of(nodes, List.of(), sequence - 1, sequence, 3, 4, 5, 0, 0, 1_700_000_000_000L, "e-first", "e-last");
  }

  private static SpanContext toRemote(SpanContext context) {
    return SpanContext.createFromRemoteParent(
        context.getTraceId(), context.getSpanId(), context.getTraceFlags(), context.getTraceState());
  }
}
