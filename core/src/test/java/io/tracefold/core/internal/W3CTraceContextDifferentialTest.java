package io.tracefold.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Differential tests: our codec against OpenTelemetry's {@link W3CTraceContextPropagator}.
 *
 * <p>Both must agree on every input except for the {@link KnownDisagreement}s, each a narrow
 * predicate on the input where we follow the W3C spec and OpenTelemetry does not; under such a
 * predicate the test still asserts our exact, spec-mandated result.
 */
class W3CTraceContextDifferentialTest {

  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final String HEX = "0123456789abcdef";
  private static final String KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
  private static final char[] REPLACEMENTS = {
    '0', '9', 'a', 'f', 'A', 'F', 'g', 'G', 'x', 'z', '-', '_', ' ', '\t', '\0', '\u00e9',
    '\u0660' /* ARABIC-INDIC DIGIT ZERO */, '\uff10' /* FULLWIDTH DIGIT ZERO */
  };

  // Not a lambda: TextMapGetter is a functional interface only in newer APIs, and this suite also
  // runs against the oldest supported one.
  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  /** Inputs on which we follow the spec and OpenTelemetry 1.68 does not. */
  static final class KnownDisagreement {

    private KnownDisagreement() {}

    /**
     * A valid {@code traceparent} of an unknown version (not {@code 00}, not {@code ff}). Spec
     * "Versioning of traceparent": a vendor parses "the {@code sampled} bit of {@code flags}" and
     * "MUST NOT parse or assume anything about unknown fields for this version", so we keep only
     * the sampled bit; OpenTelemetry keeps the whole flags byte. Ids and sampled still agree.
     */
    static boolean unknownVersionFlags(String traceparent) {
      return traceparent.length() >= 2
          && HEX.indexOf(traceparent.charAt(0)) >= 0
          && HEX.indexOf(traceparent.charAt(1)) >= 0
          && !traceparent.startsWith("00")
          && !traceparent.startsWith("ff");
    }

    /**
     * A {@code tracestate} list-member whose key is {@code tenant@system} with a system-id not
     * starting with a lowercase letter. Spec (Level 1) "Key": {@code system-id = lcalpha
     * 0*13(...)}; OpenTelemetry's TraceStateBuilder also accepts a digit, {@code _}, {@code -},
     * {@code *} or {@code /} there. We discard the whole tracestate as for any invalid member.
     */
    static boolean systemIdNotStartingWithLetter(String tracestate) {
      for (String member : tracestate.split(",", -1)) {
        int equals = member.indexOf('=');
        String key = (equals < 0 ? member : member.substring(0, equals)).strip();
        int at = key.indexOf('@');
        if (at > 0 && at == key.lastIndexOf('@') && at + 1 < key.length()) {
          char first = key.charAt(at + 1);
          if (first < 'a' || first > 'z') {
            return true;
          }
        }
      }
      return false;
    }
  }

  // ---------------------------------------------------------------- traceparent properties

  @Property(tries = 1000)
  void parseTraceparent_validValues_agree(@ForAll("validTraceparents") String value) {
    assertTraceparentAgrees(value);
    assertThat(W3CTraceContext.parseTraceparent(value, new ParsedTraceparent())).isTrue();
  }

  @Property(tries = 2000)
  void parseTraceparent_singleCharacterMutations_agree(@ForAll("mutations") String value) {
    Statistics.collect(parse(value) ? "valid" : "invalid");
    assertTraceparentAgrees(value);
  }

  @Property(tries = 500)
  void parseTraceparent_truncations_agree(@ForAll("truncations") String value) {
    assertTraceparentAgrees(value);
  }

  @Property(tries = 1000)
  void parseTraceparent_versionsAndExtensions_agree(@ForAll("versionsAndExtensions") String value) {
    Statistics.collect(parse(value) ? "valid" : "invalid");
    assertTraceparentAgrees(value);
  }

  @Property(tries = 500)
  void parseTraceparent_uppercase_agree(@ForAll("uppercase") String value) {
    assertTraceparentAgrees(value);
  }

  @Property(tries = 300)
  void parseTraceparent_zeroIds_agree(@ForAll("zeroIds") String value) {
    assertTraceparentAgrees(value);
    assertThat(parse(value)).isFalse();
  }

  // ---------------------------------------------------------------- traceparent: exhaustive

  @Test
  void parseTraceparent_everySingleCharacterEdit_agrees() {
    List<String> bases =
        List.of(
            VALID,
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03",
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-ext");
    List<Character> characters = new ArrayList<>();
    for (char c = 0; c < 0x80; c++) {
      characters.add(c);
    }
    for (char c : REPLACEMENTS) {
      characters.add(c);
    }
    int checked = 0;
    int valid = 0;
    for (String base : bases) {
      for (int position = 0; position <= base.length(); position++) {
        List<String> edits = new ArrayList<>();
        for (char c : characters) {
          edits.add(base.substring(0, position) + c + base.substring(position)); // insertion
          if (position < base.length()) {
            edits.add(base.substring(0, position) + c + base.substring(position + 1));
          }
        }
        if (position < base.length()) {
          edits.add(base.substring(0, position) + base.substring(position + 1)); // deletion
        }
        for (String edit : edits) {
          assertTraceparentAgrees(edit);
          checked++;
          valid += parse(edit) ? 1 : 0;
        }
      }
    }
    assertThat(checked).isGreaterThan(40_000);
    assertThat(valid).as("edits that stay valid (hex for hex, extensions)").isGreaterThan(2_000);
  }

  // ---------------------------------------------------------------- tracestate properties

  @Property(tries = 1000)
  void parseTracestate_validLists_agree(@ForAll("validTracestates") String value) {
    Statistics.collect(W3CTraceContext.parseTracestate(value).isEmpty() ? "empty" : "entries");
    assertTracestateAgrees(value);
    Statistics.coverage(checker -> checker.check("entries").percentage(p -> p > 50));
  }

  @Property(tries = 2000)
  void parseTracestate_mixedLists_agree(@ForAll("mixedTracestates") String value) {
    Statistics.collect(W3CTraceContext.parseTracestate(value).isEmpty() ? "empty" : "entries");
    assertTracestateAgrees(value);
    Statistics.coverage(
        checker -> {
          checker.check("entries").percentage(p -> p > 10);
          checker.check("empty").percentage(p -> p > 10);
        });
  }

  // ---------------------------------------------------------------- known disagreements, pinned

  @Test
  void knownDisagreement_unknownVersionFlags_otelKeepsAllBits() {
    String value = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff";
    ParsedTraceparent ours = new ParsedTraceparent();

    assertThat(W3CTraceContext.parseTraceparent(value, ours)).isTrue();

    assertThat(KnownDisagreement.unknownVersionFlags(value)).isTrue();
    assertThat(ours.flags()).isEqualTo((byte) 0x01);
    assertThat(otelTraceparent(value).getTraceFlags().asByte()).isEqualTo((byte) 0xff);
  }

  @Test
  void knownDisagreement_systemIdStartingWithDigit_otelAccepts() {
    String value = "a=1,tenant@1system=2";

    assertThat(KnownDisagreement.systemIdNotStartingWithLetter(value)).isTrue();
    assertThat(W3CTraceContext.parseTracestate(value).isEmpty()).isTrue();
    assertThat(otelTracestate(value).size()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- comparison

  private static void assertTraceparentAgrees(String value) {
    ParsedTraceparent ours = new ParsedTraceparent();
    boolean valid = W3CTraceContext.parseTraceparent(value, ours);
    SpanContext otel = otelTraceparent(value);

    assertThat(valid).as("valid? %s", value).isEqualTo(otel.isValid());
    if (!valid) {
      return;
    }
    SpanContext mine = ours.toSpanContext(null);
    assertThat(mine.getTraceId()).as("trace id of %s", value).isEqualTo(otel.getTraceId());
    assertThat(mine.getSpanId()).as("span id of %s", value).isEqualTo(otel.getSpanId());
    assertThat(mine.isSampled()).as("sampled of %s", value).isEqualTo(otel.isSampled());
    byte otelFlags = otel.getTraceFlags().asByte();
    if (KnownDisagreement.unknownVersionFlags(value)) {
      assertThat(ours.flags()).as("flags of %s", value).isEqualTo((byte) (otelFlags & 0x01));
    } else {
      assertThat(ours.flags()).as("flags of %s", value).isEqualTo(otelFlags);
    }
  }

  private static void assertTracestateAgrees(String value) {
    TraceState ours = W3CTraceContext.parseTracestate(value);
    TraceState otel = otelTracestate(value);

    if (KnownDisagreement.systemIdNotStartingWithLetter(value)) {
      assertThat(ours.isEmpty()).as("spec-invalid key in %s", value).isTrue();
      // Narrow: OpenTelemetry may only be more lenient because of such a key.
      if (!otel.isEmpty()) {
        assertThat(KnownDisagreement.systemIdNotStartingWithLetter(String.join(",", otel.asMap().keySet())))
            .isTrue();
      }
      return;
    }
    assertThat(entries(ours)).as("entries of %s", value).isEqualTo(entries(otel));
  }

  private static SpanContext otelTraceparent(String value) {
    Context context =
        W3CTraceContextPropagator.getInstance()
            .extract(Context.root(), Map.of(W3CTraceContext.TRACEPARENT, value), GETTER);
    return Span.fromContext(context).getSpanContext();
  }

  private static TraceState otelTracestate(String value) {
    Map<String, String> carrier =
        Map.of(W3CTraceContext.TRACEPARENT, VALID, W3CTraceContext.TRACESTATE, value);
    Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, GETTER);
    return Span.fromContext(context).getSpanContext().getTraceState();
  }

  private static boolean parse(String value) {
    return W3CTraceContext.parseTraceparent(value, new ParsedTraceparent());
  }

  private static List<String> entries(TraceState state) {
    List<String> entries = new ArrayList<>();
    state.forEach((key, value) -> entries.add(key + "=" + value));
    return entries;
  }

  // ---------------------------------------------------------------- traceparent generators

  private static Arbitrary<String> hex(int length) {
    return Arbitraries.strings().withChars(HEX).ofLength(length);
  }

  private static Arbitrary<String> versions() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just("00")),
        Tuple.of(1, Arbitraries.of("01", "cc", "fe", "ff", "0f", "f0")),
        Tuple.of(1, hex(2)));
  }

  private static Arbitrary<String> traceparents(Arbitrary<String> versions) {
    return Combinators.combine(versions, hex(32), hex(16), hex(2))
        .as((version, traceId, spanId, flags) -> version + "-" + traceId + "-" + spanId + "-" + flags);
  }

  @Provide
  Arbitrary<String> validTraceparents() {
    return Combinators.combine(nonZeroHex(32), nonZeroHex(16), hex(2))
        .as((traceId, spanId, flags) -> "00-" + traceId + "-" + spanId + "-" + flags);
  }

  private static Arbitrary<String> nonZeroHex(int length) {
    return hex(length).filter(id -> !id.equals("0".repeat(length)));
  }

  @Provide
  Arbitrary<String> mutations() {
    Arbitrary<Character> replacement =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of(box(REPLACEMENTS))),
            Tuple.of(1, Arbitraries.chars().range('\0', '\u007f')));
    return Combinators.combine(traceparents(versions()), Arbitraries.integers().between(0, 54), replacement)
        .as((base, position, c) -> base.substring(0, position) + c + base.substring(position + 1));
  }

  @Provide
  Arbitrary<String> truncations() {
    return Combinators.combine(traceparents(versions()), Arbitraries.integers().between(0, 55))
        .as((base, length) -> base.substring(0, length));
  }

  @Provide
  Arbitrary<String> versionsAndExtensions() {
    Arbitrary<String> extension =
        Arbitraries.oneOf(
            Arbitraries.of("", "", "-", "--", "-xyz", "-00-ff", "x", "0", " ", "-\u00e9", ",k=v"),
            Arbitraries.strings().withChars("-abcxyz0 ").ofMinLength(1).ofMaxLength(8));
    return Combinators.combine(traceparents(versions()), extension).as(String::concat);
  }

  @Provide
  Arbitrary<String> uppercase() {
    return Combinators.combine(traceparents(versions()), Arbitraries.integers().between(0, 4))
        .as(
            (value, part) -> {
              if (part == 4) {
                return value.toUpperCase(Locale.ROOT);
              }
              String[] fields = value.split("-");
              fields[part] = fields[part].toUpperCase(Locale.ROOT);
              return String.join("-", fields);
            });
  }

  @Provide
  Arbitrary<String> zeroIds() {
    return Combinators.combine(versions(), hex(32), hex(16), hex(2), Arbitraries.integers().between(0, 2))
        .as(
            (version, traceId, spanId, flags, zero) ->
                version
                    + "-"
                    + (zero != 1 ? "0".repeat(32) : traceId)
                    + "-"
                    + (zero != 0 ? "0".repeat(16) : spanId)
                    + "-"
                    + flags);
  }

  private static Character[] box(char[] chars) {
    Character[] boxed = new Character[chars.length];
    for (int i = 0; i < chars.length; i++) {
      boxed[i] = chars[i];
    }
    return boxed;
  }

  // ---------------------------------------------------------------- tracestate generators

  private static Arbitrary<String> keyChars(int max) {
    return Arbitraries.strings().withChars(KEY_CHARS).ofMinLength(0).ofMaxLength(max);
  }

  private static Arbitrary<String> validKeys() {
    Arbitrary<String> simple =
        Combinators.combine(Arbitraries.chars().range('a', 'z'), keyChars(12)).as((c, rest) -> c + rest);
    Arbitrary<String> multiTenant =
        Combinators.combine(
                Arbitraries.strings().withChars("abcxyz0189").ofLength(1),
                keyChars(8),
                Arbitraries.chars().range('a', 'z'),
                keyChars(5))
            .as((t, tenant, s, system) -> t + tenant + "@" + s + system);
    return Arbitraries.frequencyOf(
        Tuple.of(6, simple),
        Tuple.of(3, multiTenant),
        Tuple.of(2, Arbitraries.of("rojo", "congo", "a", "t@s")), // duplicates
        Tuple.of(
            1, Arbitraries.of("a" + "b".repeat(255), "t".repeat(241) + "@" + "s".repeat(14), "0@a")));
  }

  private static Arbitrary<String> validValues() {
    Arbitrary<String> printable =
        Arbitraries.strings()
            .withCharRange('\u0021', '\u007e')
            .excludeChars(',', '=')
            .ofMinLength(1)
            .ofMaxLength(16);
    return Arbitraries.frequencyOf(
        Tuple.of(8, printable),
        Tuple.of(2, Arbitraries.of(" lead", "in side", "  x", "00f067aa0ba902b7")),
        Tuple.of(1, Arbitraries.of("v".repeat(256), "~")));
  }

  private static Arbitrary<String> invalidKeys() {
    return Arbitraries.of(
        "A", "aB", "1a", "_a", "a b", "", "a\u00e9", "t@1x", "t@_x", "t@-x", "t@*", "t@@x", "t@", "@x",
        "t@x@y", "a" + "b".repeat(256), "t".repeat(242) + "@x", "t@" + "x".repeat(15));
  }

  private static Arbitrary<String> invalidValues() {
    return Arbitraries.of("", "a=b", "tab\there", "\u00e9", "v".repeat(257), "\u007f", "nl\nx");
  }

  private static Arbitrary<String> lists(Arbitrary<String> members, int maxMembers) {
    Arbitrary<String> separator = Arbitraries.of(",", ",", ",", ", ", " ,", ",\t", ",,", " , , ");
    Arbitrary<String> edge = Arbitraries.of("", "", "", " ", "\t", ",", " , ");
    return Combinators.combine(
            members.list().ofMinSize(0).ofMaxSize(maxMembers), separator.list().ofSize(maxMembers), edge, edge)
        .as(
            (list, separators, lead, trail) -> {
              StringBuilder value = new StringBuilder(lead);
              for (int i = 0; i < list.size(); i++) {
                value.append(i == 0 ? "" : separators.get(i)).append(list.get(i));
              }
              return value.append(trail).toString();
            });
  }

  @Provide
  Arbitrary<String> validTracestates() {
    Arbitrary<String> member =
        Arbitraries.frequencyOf(
            Tuple.of(12, Combinators.combine(validKeys(), validValues()).as((k, v) -> k + "=" + v)),
            Tuple.of(1, Arbitraries.of("", " ", "\t")));
    return lists(member, 32);
  }

  @Provide
  Arbitrary<String> mixedTracestates() {
    Arbitrary<String> key =
        Arbitraries.frequencyOf(Tuple.of(25, validKeys()), Tuple.of(1, invalidKeys()));
    Arbitrary<String> value =
        Arbitraries.frequencyOf(
            Tuple.of(25, validValues()), Tuple.of(1, invalidValues()));
    Arbitrary<String> member =
        Arbitraries.frequencyOf(
            Tuple.of(30, Combinators.combine(key, value).as((k, v) -> k + "=" + v)),
            Tuple.of(1, Arbitraries.of("novalue", "=v", "k==v", "k=v=w", " ")));
    return lists(member, 36);
  }
}
