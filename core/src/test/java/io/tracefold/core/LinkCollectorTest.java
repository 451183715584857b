package io.tracefold.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class LinkCollectorTest {

  private static final String A = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final String B = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b8-00";

  @Test
  void offer_repeatsAndBadValues_countedPerEvent() {
    LinkCollector collector = new LinkCollector();
    collector.offer(A, null, 0, "E");
    collector.offer(new String(A), null, 1, "E"); // equal value: not parsed again, still a duplicate
    collector.offer("00-bad", null, 2, "E");
    collector.offer("00-bad", null, 3, "E"); // equal invalid value: invalid again
    collector.offer(new StringBuilder(B), null, 4, "E");
    collector.offer(new StringBuilder(B), null, 5, "E");
    collector.offer(A, null, 6, "E");
    collector.offer(null, null, 7, "E");
    collector.offer(7L, null, 8, "E");

    assertThat(collector.events()).isEqualTo(9);
    assertThat(collector.distinct()).isEqualTo(2);
    assertThat(collector.invalid()).isEqualTo(2);
    assertThat(collector.missing()).isEqualTo(2);
    assertThat(collector.unsampled()).isEqualTo(1);
    assertThat(collector.sequenceAt(0)).isEqualTo(0);
    assertThat(collector.sequenceAt(1)).isEqualTo(4);
  }

  @Test
  void skipCoveredInBulk_countsAsTheSameEventsOneByOne() {
    LinkCollector oneByOne = new LinkCollector();
    LinkCollector bulk = new LinkCollector();
    for (long seq = 5; seq <= 104; seq++) {
      oneByOne.skipCovered(seq);
    }
    oneByOne.offer(A, null, 105, "E");
    bulk.skipCovered(5, 104, 100);
    bulk.offer(A, null, 105, "E");
    bulk.skipCovered(7, 3, 2); // a reversed range counts nothing
    bulk.skipCovered(1, 2, 0); // nor an empty one

    assertThat(bulk.events()).isEqualTo(oneByOne.events()).isEqualTo(101);
    assertThat(bulk.firstSequence()).isEqualTo(oneByOne.firstSequence()).isEqualTo(5);
    assertThat(bulk.lastSequence()).isEqualTo(oneByOne.lastSequence()).isEqualTo(105);
    assertThat(bulk.distinct()).isEqualTo(1);
  }

  @Test
  void offer_throwingCharSequence_isCountedInvalidNotThrown() {
    CharSequence hostile =
        new CharSequence() {
          @Override
          public int length() {
            return 55;
          }

          @Override
          public char charAt(int index) {
            throw new IllegalStateException("broken metadata value");
          }

          @Override
          public CharSequence subSequence(int start, int end) {
            throw new IllegalStateException("broken metadata value");
          }
        };
    Object throwingToString =
        new CharSequence() {
          @Override
          public int length() {
            return 3;
          }

          @Override
          public char charAt(int index) {
            return 'a';
          }

          @Override
          public CharSequence subSequence(int start, int end) {
            return "a";
          }

          @Override
          public String toString() {
            throw new IllegalStateException("broken metadata value");
          }
        };
    LinkCollector collector = new LinkCollector();
    collector.offer(hostile, hostile, 0, "E");
    collector.offer(A, hostile, 1, "E");
    collector.offer(B, throwingToString, 2, "E");

    assertThat(collector.events()).isEqualTo(3);
    assertThat(collector.invalid()).isEqualTo(2);
    assertThat(collector.distinct()).isEqualTo(1);
    // The hostile tracestate is only read when the link is built, and then dropped, not thrown.
    assertThat(collector.spanContextAt(0).getTraceState().isEmpty()).isTrue();
  }

  @Test
  void reset_forgetsEverythingIncludingThePreviousValue() {
    LinkCollector collector = new LinkCollector();
    collector.offer("00-bad", null, 0, "E");
    collector.reset();
    collector.offer(A, null, 0, "E");
    collector.reset();
    collector.offer(A, null, 0, "E");
    assertThat(collector.distinct()).isEqualTo(1);
    assertThat(collector.invalid()).isZero();
    assertThat(collector.events()).isEqualTo(1);
  }

  @Test
  void offer_manyDistinctThenRepeated_growsAndDeduplicates() {
    LinkCollector collector = new LinkCollector();
    for (int round = 0; round < 2; round++) {
      for (int i = 1; i <= 5000; i++) {
        collector.offer(String.format("00-%032x-%016x-01", i, i), null, i, "E");
      }
    }
    assertThat(collector.distinct()).isEqualTo(5000);
    assertThat(collector.events()).isEqualTo(10_000);
    assertThat(collector.spanContextAt(4999).getSpanId()).isEqualTo(String.format("%016x", 5000));

    // After a reset the same contexts are new again: the table was cleared entry by entry.
    collector.reset();
    for (int i = 1; i <= 5000; i++) {
      collector.offer(String.format("00-%032x-%016x-01", i, i), null, i, "E");
    }
    assertThat(collector.distinct()).isEqualTo(5000);
  }

  @Test
  void offer_repeatedContexts_allocatesNothing() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot ThreadMXBean required");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    String[] values = new String[16];
    for (int i = 0; i < values.length; i++) {
      values[i] = String.format("00-%032x-%016x-01", i + 1, i + 1);
    }
    LinkCollector collector = new LinkCollector();
    offerMany(collector, values); // warm-up; every context is now known
    long before = threads.getCurrentThreadAllocatedBytes();
    offerMany(collector, values);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(collector.distinct()).isEqualTo(16);
    assertThat(allocated).as("bytes allocated by 160 000 repeated offers").isLessThan(1024);
  }

  private static void offerMany(LinkCollector collector, String[] values) {
    for (int i = 0; i < 160_000; i++) {
      collector.offer(values[i % values.length], null, i, "E");
    }
  }
}
