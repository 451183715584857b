package io.tracefold.core.internal;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import java.util.Arrays;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Codec for the <a href="https://www.w3.org/TR/trace-context/">W3C Trace Context</a> {@code
 * traceparent} and {@code tracestate} values as stored in event metadata.
 *
 * <p>All methods are run-time methods: they never throw on malformed input and treat a null input
 * as absent. {@link #parseTraceparent} reads the value in place and allocates nothing.
 */
public final class W3CTraceContext {

  /** Metadata key of the {@code traceparent} value. */
  public static final String TRACEPARENT = "traceparent";

  /** Metadata key of the {@code tracestate} value. */
  public static final String TRACESTATE = "tracestate";

  // Layout of "vv-<32 hex trace id>-<16 hex parent id>-<2 hex flags>".
  private static final int TRACE_ID_OFFSET = 3;
  private static final int SPAN_ID_OFFSET = 36;
  private static final int FLAGS_OFFSET = 53;
  private static final int TRACEPARENT_LENGTH = 55;
  private static final int INVALID_VERSION = 0xff;
  private static final byte SAMPLED = 0x01;

  // Spec "tracestate Limits" and "list": at most 32 list-members; 512 characters is the size every
  // vendor SHOULD propagate, entries above 128 characters are the first to go.
  static final int TRACESTATE_MAX_MEMBERS = 32;
  static final int TRACESTATE_MAX_LENGTH = 512;
  static final int TRACESTATE_LONG_MEMBER = 128;
  private static final int KEY_MAX_LENGTH = 256;
  private static final int TENANT_MAX_LENGTH = 241;
  private static final int SYSTEM_MAX_LENGTH = 14;
  private static final int VALUE_MAX_LENGTH = 256;

  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
  private static final byte[] HEX_VALUES = new byte[128];

  // "-00" to "-ff": the flags field of a traceparent with its separator, per flags byte.
  private static final String[] FLAGS_SUFFIXES = new String[256];

  // The class of the API's own SpanContext implementation (immutable, ids validated on creation).
  private static final Class<?> API_SPAN_CONTEXT = SpanContext.getInvalid().getClass();

  static {
    for (int i = 0; i < FLAGS_SUFFIXES.length; i++) {
      FLAGS_SUFFIXES[i] = new String(new char[] {'-', HEX_DIGITS[i >>> 4], HEX_DIGITS[i & 0xf]});
    }
    Arrays.fill(HEX_VALUES, (byte) -1);
    for (int i = 0; i < HEX_DIGITS.length; i++) {
      HEX_VALUES[HEX_DIGITS[i]] = (byte) i;
    }
  }

  private W3CTraceContext() {}

  /**
   * Parses a {@code traceparent} value (any {@link CharSequence}, read in place) into {@code out}.
   *
   * <p>Version {@code 00} must be exactly {@code 00-<32 hex>-<16 hex>-<2 hex>}. A higher version
   * (except the forbidden {@code ff}) is parsed by the same layout and may continue after a
   * {@code -} at index 55; per the spec only its sampled bit is kept, since the meaning of its other
   * flags is unknown. Hex must be lowercase; all-zero trace or parent ids are invalid.
   *
   * <p>Allocation-free and never throws.
   *
   * @param value the metadata value; may be null
   * @param out receives the ids and flags; written only when this method returns true
   * @return true if {@code value} is a valid {@code traceparent}
   */
  public static boolean parseTraceparent(@Nullable CharSequence value, ParsedTraceparent out) {
    if (value == null || out == null) {
      return false;
    }
    try {
      return parse(value, out);
    } catch (RuntimeException e) {
      // Only a CharSequence mutated while being read (a shared StringBuilder) or a foreign
      // CharSequence that throws gets here; a broken value must not break the event path.
      return false;
    }
  }

  private static boolean parse(CharSequence value, ParsedTraceparent out) {
    int length = value.length();
    if (length < TRACEPARENT_LENGTH) {
      return false;
    }
    int version = hexValue(value.charAt(0)) << 4 | hexValue(value.charAt(1));
    if (version < 0 || version == INVALID_VERSION) {
      return false;
    }
    if (length > TRACEPARENT_LENGTH) {
      // Version 00 has no further fields; later versions may only add "-"-separated ones.
      if (version == 0 || value.charAt(TRACEPARENT_LENGTH) != '-') {
        return false;
      }
    }
    if (value.charAt(TRACE_ID_OFFSET - 1) != '-'
        || value.charAt(SPAN_ID_OFFSET - 1) != '-'
        || value.charAt(FLAGS_OFFSET - 1) != '-') {
      return false;
    }
    // One pass: decode and validate together; any non-hex char sets the sign bit of `invalid`.
    int invalid = 0;
    long traceIdHigh = 0;
    for (int i = TRACE_ID_OFFSET; i < TRACE_ID_OFFSET + 16; i++) {
      int digit = hexValue(value.charAt(i));
      invalid |= digit;
      traceIdHigh = traceIdHigh << 4 | (digit & 0xf);
    }
    long traceIdLow = 0;
    for (int i = TRACE_ID_OFFSET + 16; i < SPAN_ID_OFFSET - 1; i++) {
      int digit = hexValue(value.charAt(i));
      invalid |= digit;
      traceIdLow = traceIdLow << 4 | (digit & 0xf);
    }
    long spanId = 0;
    for (int i = SPAN_ID_OFFSET; i < FLAGS_OFFSET - 1; i++) {
      int digit = hexValue(value.charAt(i));
      invalid |= digit;
      spanId = spanId << 4 | (digit & 0xf);
    }
    int flagsHigh = hexValue(value.charAt(FLAGS_OFFSET));
    int flagsLow = hexValue(value.charAt(FLAGS_OFFSET + 1));
    invalid |= flagsHigh | flagsLow;
    if (invalid < 0 || (traceIdHigh | traceIdLow) == 0 || spanId == 0) {
      return false;
    }
    byte flags = (byte) (flagsHigh << 4 | flagsLow);
    if (version != 0) {
      flags &= SAMPLED;
    }
    out.set(traceIdHigh, traceIdLow, spanId, flags);
    return true;
  }

  /**
   * Returns the version-{@code 00} {@code traceparent} of {@code context}, {@code
   * 00-<32 hex>-<16 hex>-<2 hex>}, with its trace flags byte as is.
   *
   * @param context the span context; may be null
   * @return the {@code traceparent}, or null if {@code context} is null or its ids are invalid
   */
  public static @Nullable String formatTraceparent(@Nullable SpanContext context) {
    if (context == null) {
      return null;
    }
    String traceId = context.getTraceId();
    String spanId = context.getSpanId();
    if (traceId == null || spanId == null || !hasValidIds(context, traceId, spanId)) {
      return null;
    }
    TraceFlags traceFlags = context.getTraceFlags();
    int flags = traceFlags == null ? 0 : traceFlags.asByte() & 0xff;
    // String concatenation sizes the result exactly and fills it in place: one allocation, no
    // intermediate char[] (this runs once per event and per command on the write path).
    return "00-" + traceId + '-' + spanId + FLAGS_SUFFIXES[flags];
  }

  /**
   * Returns whether the context's ids are 32 and 16 lowercase hex characters, not all zero. The
   * API's own implementation checked its ids when it was created (or took them from the SDK's random
   * generator), so its {@code isValid()} is exact and the strings need no second scan; any other
   * implementation may misreport it, so its strings are checked.
   */
  private static boolean hasValidIds(SpanContext context, String traceId, String spanId) {
    if (context.getClass() == API_SPAN_CONTEXT) {
      return context.isValid() && traceId.length() == 32 && spanId.length() == 16;
    }
    return TraceId.isValid(traceId) && SpanId.isValid(spanId);
  }

  /**
   * Parses a {@code tracestate} value into a {@link TraceState} with the list-members in order.
   *
   * <p>Follows the spec's {@code list} grammar (Level 1 key grammar, including {@code
   * tenant@system} keys) and, where the spec lets the parser choose, OpenTelemetry's {@code
   * W3CTraceContextPropagator}: empty and whitespace-only list-members are ignored and do not count
   * towards the 32-member limit; a value with more than 32 list-members, an invalid list-member or
   * a duplicated key is discarded as a whole. Runs in linear time and stops at the 33rd member, so
   * an oversized value costs at most one scan and yields the empty state.
   *
   * @param value the metadata value; may be null
   * @return the parsed state; {@link TraceState#getDefault()} if {@code value} is null, empty or
   *     invalid
   */
  public static TraceState parseTracestate(@Nullable CharSequence value) {
    if (value == null) {
      return TraceState.getDefault();
    }
    try {
      return parseState(value);
    } catch (RuntimeException e) {
      // See parseTraceparent: a concurrently mutated or throwing CharSequence.
      return TraceState.getDefault();
    }
  }

  private static TraceState parseState(CharSequence value) {
    int length = value.length();
    // Per member: key start, '=' index, value end. Allocated at the first member only.
    int[] bounds = null;
    int members = 0;
    int position = 0;
    while (position < length) {
      int end = position;
      while (end < length && value.charAt(end) != ',') {
        end++;
      }
      int start = position;
      position = end + 1;
      while (start < end && isOptionalWhitespace(value.charAt(start))) {
        start++;
      }
      while (end > start && isOptionalWhitespace(value.charAt(end - 1))) {
        end--;
      }
      if (start == end) {
        continue;
      }
      if (members == TRACESTATE_MAX_MEMBERS) {
        return TraceState.getDefault();
      }
      int equals = start;
      while (equals < end && value.charAt(equals) != '=') {
        equals++;
      }
      if (equals == end || !isValidKey(value, start, equals) || !isValidValue(value, equals + 1, end)) {
        return TraceState.getDefault();
      }
      if (bounds == null) {
        bounds = new int[TRACESTATE_MAX_MEMBERS * 3];
      }
      bounds[members * 3] = start;
      bounds[members * 3 + 1] = equals;
      bounds[members * 3 + 2] = end;
      members++;
    }
    if (members == 0) {
      return TraceState.getDefault();
    }
    // The builder puts each new entry first, so feed it from the last member to keep the order.
    TraceStateBuilder builder = TraceState.builder();
    for (int i = members - 1; i >= 0; i--) {
      int start = bounds[i * 3];
      int equals = bounds[i * 3 + 1];
      int end = bounds[i * 3 + 2];
      builder.put(
          value.subSequence(start, equals).toString(), value.subSequence(equals + 1, end).toString());
    }
    TraceState state = builder.build();
    // The spec allows one entry per key; like OpenTelemetry, a duplicated key voids the whole value.
    return state.size() == members ? state : TraceState.getDefault();
  }

  /**
   * Returns {@code state} as a {@code tracestate} value, truncated per the spec's "tracestate
   * Limits": whole list-members are removed until at most 32 remain and the value has at most 512
   * characters, first list-members longer than 128 characters (starting from the end, only as many
   * as needed), then list-members from the end. List-members with a key or value the spec does not
   * allow are omitted, so the result always parses back with {@link #parseTracestate}.
   *
   * @param state the trace state; may be null
   * @return the {@code tracestate} value; empty if {@code state} is null or empty
   */
  public static String formatTracestate(@Nullable TraceState state) {
    if (state == null || state.isEmpty()) {
      return "";
    }
    MemberCollector members = new MemberCollector(state.size());
    state.forEach(members);
    int count = members.count;
    String[] keys = members.keys;
    String[] values = members.values;
    boolean[] kept = new boolean[count];
    int keptCount = 0;
    int length = -1; // no leading comma
    for (int i = 0; i < count; i++) {
      if (keptCount < TRACESTATE_MAX_MEMBERS
          && isValidKey(keys[i], 0, keys[i].length())
          && isValidValue(values[i], 0, values[i].length())) {
        kept[i] = true;
        keptCount++;
        length += memberLength(keys[i], values[i]) + 1;
      }
    }
    for (int i = count - 1; i >= 0 && length > TRACESTATE_MAX_LENGTH; i--) {
      int memberLength = memberLength(keys[i], values[i]);
      if (kept[i] && memberLength > TRACESTATE_LONG_MEMBER) {
        kept[i] = false;
        keptCount--;
        length -= memberLength + 1;
      }
    }
    for (int i = count - 1; i >= 0 && length > TRACESTATE_MAX_LENGTH; i--) {
      if (kept[i]) {
        kept[i] = false;
        keptCount--;
        length -= memberLength(keys[i], values[i]) + 1;
      }
    }
    if (keptCount == 0) {
      return "";
    }
    StringBuilder result = new StringBuilder(length);
    for (int i = 0; i < count; i++) {
      if (kept[i]) {
        if (result.length() != 0) {
          result.append(',');
        }
        result.append(keys[i]).append('=').append(values[i]);
      }
    }
    return result.toString();
  }

  private static int memberLength(String key, String value) {
    return key.length() + 1 + value.length();
  }

  /** Collects a TraceState's entries in order without a capturing lambda. */
  private static final class MemberCollector implements BiConsumer<String, String> {
    final String[] keys;
    final String[] values;
    int count;

    MemberCollector(int size) {
      keys = new String[size];
      values = new String[size];
    }

    @Override
    public void accept(@Nullable String key, @Nullable String value) {
      // A foreign TraceState may report a wrong size or null entries: skip rather than fail.
      if (key != null && value != null && count < keys.length) {
        keys[count] = key;
        values[count] = value;
        count++;
      }
    }
  }

  /**
   * Returns whether {@code s[from, to)} is a key per the Level 1 grammar: {@code simple-key =
   * lcalpha 0*255(keychar)} or {@code multi-tenant-key = tenant-id "@" system-id} with {@code
   * tenant-id = (lcalpha / DIGIT) 0*240(keychar)} and {@code system-id = lcalpha 0*13(keychar)}.
   * The later draft's looser key is not accepted: OpenTelemetry's TraceState could not hold it.
   */
  static boolean isValidKey(CharSequence s, int from, int to) {
    int length = to - from;
    if (length < 1 || length > KEY_MAX_LENGTH) {
      return false;
    }
    char first = s.charAt(from);
    boolean startsWithLetter = isLowercaseLetter(first);
    if (!startsWithLetter && !isDigit(first)) {
      return false;
    }
    int at = -1;
    for (int i = from + 1; i < to; i++) {
      char c = s.charAt(i);
      if (c == '@') {
        if (at >= 0) {
          return false;
        }
        at = i;
      } else if (!isKeyChar(c)) {
        return false;
      }
    }
    if (at < 0) {
      return startsWithLetter;
    }
    int systemLength = to - at - 1;
    return at - from <= TENANT_MAX_LENGTH
        && systemLength >= 1
        && systemLength <= SYSTEM_MAX_LENGTH
        && isLowercaseLetter(s.charAt(at + 1));
  }

  /**
   * Returns whether {@code s[from, to)} is a value: 1 to 256 printable ASCII characters except
   * {@code ,} and {@code =}, not ending in a space.
   */
  static boolean isValidValue(CharSequence s, int from, int to) {
    int length = to - from;
    if (length < 1 || length > VALUE_MAX_LENGTH || s.charAt(to - 1) == ' ') {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
        return false;
      }
    }
    return true;
  }

  private static boolean isKeyChar(char c) {
    return isLowercaseLetter(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
  }

  private static boolean isLowercaseLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isOptionalWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /** Returns the value of a lowercase hex digit, or -1 (all bits set) for any other char. */
  private static int hexValue(char c) {
    return c < HEX_VALUES.length ? HEX_VALUES[c] : -1;
  }
}
