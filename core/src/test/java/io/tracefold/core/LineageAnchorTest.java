package io.tracefold.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Anchors: {@link Lineage#anchorMatches} and {@link Lineage#anchoredTo} skip scanning an identifier
 * that equals an anchor kept as it is; they must still agree with the definition (the identifier's
 * {@link Lineage#anchorId anchor form} equals the anchor) for every identifier, digests, the edge
 * lengths and anchors read back from stored state included.
 */
class LineageAnchorTest {

  private static final List<String> EDGE_IDS = edgeIds();

  @Property(tries = 400)
  void anchorMatches_agreesWithTheDefinition(@ForAll("ids") String anchored, @ForAll("ids") String eventId) {
    String anchor = Lineage.anchorId(anchored);
    assertThat(Lineage.anchorMatches(anchor, eventId)).isEqualTo(anchor.equals(Lineage.anchorId(eventId)));
    assertThat(Lineage.anchorMatches(anchor, anchored)).isTrue();
  }

  @Test
  void anchorMatches_everyPairOfEdgeIdentifiers_agreesWithTheDefinition() {
    for (String anchored : EDGE_IDS) {
      String anchor = Lineage.anchorId(anchored);
      for (String eventId : EDGE_IDS) {
        assertThat(Lineage.anchorMatches(anchor, eventId))
            .as("anchor of %s against %s", anchored, eventId)
            .isEqualTo(anchor.equals(Lineage.anchorId(eventId)));
      }
      // The anchor itself, offered as an identifier: a digest is not its own anchor form.
      assertThat(Lineage.anchorMatches(anchor, anchor)).isEqualTo(anchor.equals(Lineage.anchorId(anchor)));
    }
    assertThat(Lineage.anchorMatches(null, "e-1")).isTrue();
    assertThat(Lineage.anchorMatches("e-1", null)).isFalse();
    assertThat(Lineage.anchorMatches("", "")).isFalse();
  }

  @Test
  void anchorsReadBackFromStoredState_matchAsTheDefinitionSays() {
    String longest = "a".repeat(Lineage.MAX_ANCHOR_ID_LENGTH + 1); // admitted by decode, never made by anchorId
    for (String stored : List.of("e-first", longest, "#" + "0".repeat(32))) {
      Lineage lineage = Lineage.decode(encodedWithAnchors(stored, stored));
      assertThat(lineage.corrupt()).isZero();
      assertThat(lineage.firstEventId()).isEqualTo(stored);
      for (String eventId : List.of(stored, "e-first", longest, "#" + "0".repeat(32))) {
        assertThat(Lineage.anchorMatches(lineage.firstEventId(), eventId))
            .as("%s against %s", stored, eventId)
            .isEqualTo(stored.equals(Lineage.anchorId(eventId)));
      }
    }
  }

  @Test
  void anchoredTo_sameLastEvent_returnsTheSameLineage_anotherOne_itsAnchorForm() {
    String id = UUID.randomUUID().toString();
    Lineage anchored = Lineage.empty().anchoredTo(id, id);
    assertThat(anchored.lastEventId()).isEqualTo(id);
    assertThat(anchored.anchoredTo("ignored", new String(id.toCharArray()))).isSameAs(anchored);

    String digested = "x|" + id; // not encodable: kept as a digest
    Lineage byDigest = anchored.anchoredTo(null, digested);
    assertThat(byDigest.lastEventId()).isEqualTo(Lineage.anchorId(digested)).startsWith("#");
    assertThat(byDigest.anchoredTo(null, digested)).isSameAs(byDigest);
    // An identifier that equals the digest is another event.
    assertThat(byDigest.anchoredTo(null, byDigest.lastEventId()).lastEventId()).isNotEqualTo(byDigest.lastEventId());
  }

  @Provide
  Arbitrary<String> ids() {
    Arbitrary<String> uuids = Arbitraries.create(() -> UUID.randomUUID().toString());
    Arbitrary<String> any = Arbitraries.strings().withCharRange((char) 0, (char) 0x200).ofMaxLength(140);
    Arbitrary<String> printable = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(135);
    return Arbitraries.oneOf(uuids, any, printable, Arbitraries.of(EDGE_IDS));
  }

  private static List<String> edgeIds() {
    List<String> ids = new ArrayList<>();
    ids.add("");
    ids.add("e-1");
    ids.add("#e-1");
    ids.add("a".repeat(Lineage.MAX_ANCHOR_ID_LENGTH));
    ids.add("a".repeat(Lineage.MAX_ANCHOR_ID_LENGTH + 1));
    ids.add("with space");
    ids.add("with|bar");
    ids.add("ü-umlaut");
    ids.add(Lineage.anchorId("with|bar"));
    ids.add(UUID.randomUUID().toString());
    return ids;
  }

  private static String encodedWithAnchors(String first, String last) {
    String encoded = Lineage.empty().anchoredTo("e-first", "e-last").encode();
    return encoded.replace("|e-first|e-last", "|" + first + "|" + last);
  }
}
