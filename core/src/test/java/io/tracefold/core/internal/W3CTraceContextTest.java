package io.tracefold.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class W3CTraceContextTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String SAMPLED = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";
  private static final String NOT_SAMPLED = "00-" + TRACE_ID + "-" + SPAN_ID + "-00";

  private final ParsedTraceparent out = new ParsedTraceparent();

  // ---------------------------------------------------------------- traceparent: valid

  @Test
  void parseTraceparent_specExampleSampled_fillsIdsAndFlags() {
    assertThat(W3CTraceContext.parseTraceparent(SAMPLED, out)).isTrue();

    assertThat(out.traceIdHigh()).isEqualTo(0x4bf92f3577b34da6L);
    assertThat(out.traceIdLow()).isEqualTo(0xa3ce929d0e0e4736L);
    assertThat(out.spanId()).isEqualTo(0x00f067aa0ba902b7L);
    assertThat(out.flags()).isEqualTo((byte) 1);
    assertThat(out.isSampled()).isTrue();
  }

  @Test
  void parseTraceparent_specExampleNotSampled_isNotSampled() {
    assertThat(W3CTraceContext.parseTraceparent(NOT_SAMPLED, out)).isTrue();

    assertThat(out.flags()).isZero();
    assertThat(out.isSampled()).isFalse();
  }

  @Test
  void parseTraceparent_version00_keepsAllFlagBits() {
    assertThat(W3CTraceContext.parseTraceparent("00-" + TRACE_ID + "-" + SPAN_ID + "-ff", out))
        .isTrue();

    assertThat(out.flags()).isEqualTo((byte) 0xff);
    assertThat(out.isSampled()).isTrue();
  }

  @Test
  void parseTraceparent_highIdBitsSet_decodesUnsigned() {
    String value = "00-ffffffffffffffff8000000000000000-8000000000000001-09";

    assertThat(W3CTraceContext.parseTraceparent(value, out)).isTrue();

    assertThat(out.traceIdHigh()).isEqualTo(-1L);
    assertThat(out.traceIdLow()).isEqualTo(Long.MIN_VALUE);
    assertThat(out.spanId()).isEqualTo(Long.MIN_VALUE + 1);
    assertThat(out.isSampled()).isTrue();
  }

  @Test
  void parseTraceparent_stringBuilder_parsesInPlace() {
    StringBuilder value = new StringBuilder(SAMPLED);

    assertThat(W3CTraceContext.parseTraceparent(value, out)).isTrue();

    assertThat(out.toSpanContext(null).getTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void parseTraceparent_unknownVersionExactLength_keepsOnlySampledBit() {
    assertThat(W3CTraceContext.parseTraceparent("cc-" + TRACE_ID + "-" + SPAN_ID + "-ff", out))
        .isTrue();

    assertThat(out.flags()).isEqualTo((byte) 1);
    assertThat(out.toSpanContext(null).getSpanId()).isEqualTo(SPAN_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-", "-xyz", "-00-anything,at=all", "--"})
  void parseTraceparent_unknownVersionWithExtension_isValid(String extension) {
    assertThat(W3CTraceContext.parseTraceparent("01-" + TRACE_ID + "-" + SPAN_ID + "-02" + extension, out))
        .isTrue();

    assertThat(out.flags()).isZero();
  }

  // ---------------------------------------------------------------- traceparent: invalid

  @ParameterizedTest
  @ValueSource(
      strings = {
        // length
        "",
        "00",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",
        // version 00 allows nothing after the flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xyz",
        // forbidden and malformed versions
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "FF-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        // unknown version: an extension must start with '-'
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011",
        // uppercase hex
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
        // all-zero ids
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "cc-00000000000000000000000000000000-00f067aa0ba902b7-01",
        // separators
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01",
        "004bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",
        // non-hex
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b\u0667-01",
        // whitespace is not trimmed
        " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 ",
      })
  void parseTraceparent_invalid_returnsFalseAndKeepsHolder(String value) {
    out.set(1, 2, 3, (byte) 1);

    assertThat(W3CTraceContext.parseTraceparent(value, out)).isFalse();

    assertThat(out.traceIdHigh()).isEqualTo(1);
    assertThat(out.traceIdLow()).isEqualTo(2);
    assertThat(out.spanId()).isEqualTo(3);
    assertThat(out.flags()).isEqualTo((byte) 1);
  }

  @Test
  void parseTraceparent_null_returnsFalse() {
    assertThat(W3CTraceContext.parseTraceparent(null, out)).isFalse();
  }

  @Test
  void parseTraceparent_charSequenceShrinkingWhileRead_returnsFalse() {
    CharSequence lying =
        new CharSequence() {
          @Override
          public int length() {
            return SAMPLED.length();
          }

          @Override
          public char charAt(int index) {
            if (index > 10) {
              throw new StringIndexOutOfBoundsException(index);
            }
            return SAMPLED.charAt(index);
          }

          @Override
          public CharSequence subSequence(int start, int end) {
            throw new UnsupportedOperationException();
          }
        };

    assertThat(W3CTraceContext.parseTraceparent(lying, out)).isFalse();
  }

  // ---------------------------------------------------------------- traceparent: format

  @Test
  void formatTraceparent_parsedValue_roundTrips() {
    for (String value : List.of(SAMPLED, NOT_SAMPLED, "00-" + TRACE_ID + "-" + SPAN_ID + "-ff")) {
      assertThat(W3CTraceContext.parseTraceparent(value, out)).isTrue();

      assertThat(W3CTraceContext.formatTraceparent(out.toSpanContext(null))).isEqualTo(value);
    }
  }

  @Test
  void formatTraceparent_unknownVersion_downgradesTo00() {
    W3CTraceContext.parseTraceparent("cc-" + TRACE_ID + "-" + SPAN_ID + "-07-future", out);

    assertThat(W3CTraceContext.formatTraceparent(out.toSpanContext(null))).isEqualTo(SAMPLED);
  }

  @Test
  void formatTraceparent_spanContext_parsesBackToSameContext() {
    SpanContext context =
        SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());

    String formatted = W3CTraceContext.formatTraceparent(context);

    assertThat(formatted).isEqualTo(SAMPLED);
    assertThat(W3CTraceContext.parseTraceparent(formatted, out)).isTrue();
    SpanContext back = out.toSpanContext(TraceState.builder().put("k", "v").build());
    assertThat(back.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(back.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(back.isSampled()).isTrue();
    assertThat(back.isRemote()).isTrue();
    assertThat(back.getTraceState().get("k")).isEqualTo("v");
  }

  @Test
  void formatTraceparent_invalidOrNullContext_returnsNull() {
    assertThat(W3CTraceContext.formatTraceparent(SpanContext.getInvalid())).isNull();
    assertThat(W3CTraceContext.formatTraceparent(null)).isNull();
  }

  @Test
  void formatTraceparent_apiContextWithBadIds_returnsNull() {
    // The API's own contexts are judged by isValid(): they validated their ids on creation.
    assertThat(W3CTraceContext.formatTraceparent(
            SpanContext.create(TRACE_ID.toUpperCase(), SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault())))
        .isNull();
    assertThat(W3CTraceContext.formatTraceparent(
            SpanContext.create(TRACE_ID, "0".repeat(16), TraceFlags.getSampled(), TraceState.getDefault())))
        .isNull();
  }

  @Test
  void formatTraceparent_foreignContext_judgedByItsIdsNotItsIsValid() {
    assertThat(W3CTraceContext.formatTraceparent(new ForeignContext(TRACE_ID, SPAN_ID, false))).isEqualTo(SAMPLED);
    assertThat(W3CTraceContext.formatTraceparent(new ForeignContext(TRACE_ID.toUpperCase(), SPAN_ID, true)))
        .isNull();
    assertThat(W3CTraceContext.formatTraceparent(new ForeignContext(TRACE_ID, "0".repeat(16), true))).isNull();
    assertThat(W3CTraceContext.formatTraceparent(new ForeignContext(TRACE_ID, SPAN_ID + "0", true))).isNull();
  }

  /** A SpanContext of another implementation, whose isValid() says what it is told. */
  private record ForeignContext(String traceId, String spanId, boolean valid) implements SpanContext {
    @Override
    public String getTraceId() {
      return traceId;
    }

    @Override
    public String getSpanId() {
      return spanId;
    }

    @Override
    public TraceFlags getTraceFlags() {
      return TraceFlags.getSampled();
    }

    @Override
    public TraceState getTraceState() {
      return TraceState.getDefault();
    }

    @Override
    public boolean isRemote() {
      return false;
    }

    @Override
    public boolean isValid() {
      return valid;
    }
  }

  @Test
  void toSpanContext_emptyHolder_returnsInvalidContext() {
    assertThat(new ParsedTraceparent().toSpanContext(null).isValid()).isFalse();
  }

  // ---------------------------------------------------------------- traceparent: allocation

  @Test
  void parseTraceparent_repeated_allocatesNothing() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot ThreadMXBean required");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    String value = SAMPLED;
    StringBuilder builder = new StringBuilder("cc-" + TRACE_ID + "-" + SPAN_ID + "-01-ext");
    ParsedTraceparent holder = new ParsedTraceparent();
    int valid = parseMany(value, builder, holder); // warm-up, also resolves every call site
    long before = threads.getCurrentThreadAllocatedBytes();
    valid += parseMany(value, builder, holder);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(valid).isEqualTo(40_000);
    assertThat(allocated).as("bytes allocated by 20 000 parses").isLessThan(1024);
  }

  private static int parseMany(String value, StringBuilder builder, ParsedTraceparent holder) {
    int valid = 0;
    for (int i = 0; i < 10_000; i++) {
      if (W3CTraceContext.parseTraceparent(value, holder)) {
        valid++;
      }
      if (W3CTraceContext.parseTraceparent(builder, holder)) {
        valid++;
      }
    }
    return valid;
  }

  // ---------------------------------------------------------------- tracestate: parse

  @Test
  void parseTracestate_specExample_keepsOrder() {
    TraceState state = W3CTraceContext.parseTracestate("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");

    assertThat(entries(state)).containsExactly("rojo=00f067aa0ba902b7", "congo=t61rcWkgMzE");
  }

  @Test
  void parseTracestate_optionalWhitespaceAndEmptyMembers_areIgnored() {
    TraceState state =
        W3CTraceContext.parseTracestate(" ,\ta=1 ,, b= x y\t,  ,c=3,");

    assertThat(entries(state)).containsExactly("a=1", "b= x y", "c=3");
  }

  @Test
  void parseTracestate_keyForms_acceptsSpecGrammar() {
    String simple = "a" + "z0_-*/".repeat(42) + "abc"; // 256 characters
    String tenant = "0" + "t".repeat(240); // 241 characters, may start with a digit
    String system = "s" + "y".repeat(13); // 14 characters
    String value = "~".repeat(256);

    TraceState state =
        W3CTraceContext.parseTracestate(
            simple + "=1," + tenant + "@" + system + "=2,t@s=" + value + ",k=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~");

    assertThat(state.size()).isEqualTo(4);
    assertThat(state.get(simple)).isEqualTo("1");
    assertThat(state.get(tenant + "@" + system)).isEqualTo("2");
    assertThat(state.get("t@s")).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a=1,Upper=2",
        "a=1,1digit=2", // a simple key starts with a letter
        "a=1,b c=2",
        "a=1,b =2", // no whitespace around '='
        "a=1,b",
        "a=1,=2",
        "a=1,b=", // a value has at least one character
        "a=1,b=2=3",
        "a=1,b=\u00e9",
        "a=1,b=x\ty",
        "a=1,t@@s=2",
        "a=1,t@s@u=2",
        "a=1,t@=2",
        "a=1,@s=2",
        "a=1,t@1s=2", // system-id starts with lcalpha (OpenTelemetry accepts this one)
        "a=1,t@_s=2",
        "a=1,t@sssssssssssssss=2", // system-id of 15
        "a=1,a=2", // duplicated key
      })
  void parseTracestate_invalidMember_discardsWholeValue(String value) {
    assertThat(W3CTraceContext.parseTracestate(value).isEmpty()).isTrue();
  }

  @Test
  void parseTracestate_lengthLimits_discardWholeValue() {
    assertThat(W3CTraceContext.parseTracestate("a" + "b".repeat(256) + "=1").isEmpty()).isTrue();
    assertThat(W3CTraceContext.parseTracestate("t".repeat(242) + "@s=1").isEmpty()).isTrue();
    assertThat(W3CTraceContext.parseTracestate("a=" + "v".repeat(257)).isEmpty()).isTrue();
  }

  @Test
  void parseTracestate_32Members_isValidAnd33AreDiscarded() {
    assertThat(W3CTraceContext.parseTracestate(members(32)).size()).isEqualTo(32);
    assertThat(W3CTraceContext.parseTracestate(members(33)).isEmpty()).isTrue();
    assertThat(W3CTraceContext.parseTracestate(members(32) + ",,  ,").size()).isEqualTo(32);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ",", " \t, ,"})
  void parseTracestate_emptyOrBlank_returnsDefault(String value) {
    assertThat(W3CTraceContext.parseTracestate(value)).isSameAs(TraceState.getDefault());
  }

  @Test
  void parseTracestate_null_returnsDefault() {
    assertThat(W3CTraceContext.parseTracestate(null)).isSameAs(TraceState.getDefault());
  }

  @Test
  void parseTracestate_stringBuilder_parses() {
    assertThat(W3CTraceContext.parseTracestate(new StringBuilder("a=1,b=2")).asMap())
        .isEqualTo(Map.of("a", "1", "b", "2"));
  }

  @Test
  void parseTracestate_oneMegabyte_returnsQuicklyWithoutThrowing() {
    int size = 1 << 20;
    List<String> inputs =
        List.of(
            "a=b,".repeat(size / 4), // stops at member 33
            "a=" + "v".repeat(size), // one oversized value
            "k".repeat(size) + "=v", // one oversized key
            " ,".repeat(size / 2) + "a=b", // blank members only, then one member
            ",".repeat(size),
            "a=b" + " ".repeat(size) + ",c=d");

    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          for (String input : inputs) {
            assertThatCode(() -> W3CTraceContext.parseTracestate(input)).doesNotThrowAnyException();
          }
        });
    assertThat(W3CTraceContext.parseTracestate(inputs.get(0)).isEmpty()).isTrue();
    assertThat(W3CTraceContext.parseTracestate(inputs.get(1)).isEmpty()).isTrue();
    assertThat(entries(W3CTraceContext.parseTracestate(inputs.get(3)))).containsExactly("a=b");
    assertThat(entries(W3CTraceContext.parseTracestate(inputs.get(5)))).containsExactly("a=b", "c=d");
  }

  // ---------------------------------------------------------------- tracestate: format

  @Test
  void formatTracestate_roundTripsThroughParse() {
    String value = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,t@s= lead";

    assertThat(W3CTraceContext.formatTracestate(W3CTraceContext.parseTracestate(value)))
        .isEqualTo(value);
  }

  @Test
  void formatTracestate_emptyOrNull_returnsEmptyString() {
    assertThat(W3CTraceContext.formatTracestate(TraceState.getDefault())).isEmpty();
    assertThat(W3CTraceContext.formatTracestate(null)).isEmpty();
  }

  @Test
  void formatTracestate_within512_isNotTruncated() {
    // 4 members of 127 characters + 3 commas = 511.
    TraceState state = build("a", 125, "b", 125, "c", 125, "d", 125);

    assertThat(W3CTraceContext.formatTracestate(state)).hasSize(511);
  }

  @Test
  void formatTracestate_over512_dropsLongMembersFromTheEndFirst() {
    // a (short), b (long), c (short), d (long), e (short): 20 + 200 + 20 + 200 + 100 + 4 = 544.
    TraceState state = build("a", 18, "b", 198, "c", 18, "d", 198, "e", 98);

    String formatted = W3CTraceContext.formatTracestate(state);

    // Dropping d alone (201 characters with its comma) is enough: b stays.
    assertThat(keys(formatted)).containsExactly("a", "b", "c", "e");
    assertThat(formatted.length()).isLessThanOrEqualTo(512);
  }

  @Test
  void formatTracestate_stillOver512WithoutLongMembers_dropsFromTheEnd() {
    // 6 members of 101 characters and one of 200: without the long one still 6 x 101 + 5 = 611.
    TraceState state = build("a", 99, "b", 99, "c", 99, "l", 198, "d", 99, "e", 99, "f", 99);

    String formatted = W3CTraceContext.formatTracestate(state);

    assertThat(keys(formatted)).containsExactly("a", "b", "c", "d", "e");
    assertThat(formatted).hasSize(5 * 101 + 4);
  }

  @Test
  void formatTracestate_foreignStateWithSpecInvalidMember_omitsIt() {
    // OpenTelemetry's builder accepts a system-id starting with a digit; the spec does not.
    TraceState state = TraceState.builder().put("ok", "1").put("t@1s", "2").build();

    assertThat(W3CTraceContext.formatTracestate(state)).isEqualTo("ok=1");
  }

  @Test
  void formatTracestate_anyResult_parsesBackWithinLimits() {
    TraceState state = build("a", 150, "b", 250, "c", 100, "d", 100, "e", 100, "f", 100);

    String formatted = W3CTraceContext.formatTracestate(state);

    assertThat(formatted.length()).isLessThanOrEqualTo(512);
    assertThat(W3CTraceContext.formatTracestate(W3CTraceContext.parseTracestate(formatted)))
        .isEqualTo(formatted);
  }

  // ---------------------------------------------------------------- helpers

  /** Builds a TraceState from (key, value length) pairs, in order. */
  private static TraceState build(Object... keysAndValueLengths) {
    var builder = TraceState.builder();
    for (int i = keysAndValueLengths.length - 2; i >= 0; i -= 2) {
      builder.put((String) keysAndValueLengths[i], "v".repeat((Integer) keysAndValueLengths[i + 1]));
    }
    return builder.build();
  }

  private static String members(int count) {
    StringBuilder value = new StringBuilder();
    for (int i = 0; i < count; i++) {
      value.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
    }
    return value.toString();
  }

  private static List<String> entries(TraceState state) {
    List<String> entries = new ArrayList<>();
    state.forEach((key, value) -> entries.add(key + "=" + value));
    return entries;
  }

  private static List<String> keys(String tracestate) {
    List<String> keys = new ArrayList<>();
    for (String member : tracestate.split(",")) {
      keys.add(member.substring(0, member.indexOf('=')));
    }
    return keys;
  }
}
