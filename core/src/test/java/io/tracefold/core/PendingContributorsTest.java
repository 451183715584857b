package io.tracefold.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingContributorsTest {

  @Test
  void of_packsAndGetMakesEqualContributors() {
    TraceState state = TraceState.builder().put("vendor", "v1").build();
    List<LineageContributor> contributors = new ArrayList<>();
    contributors.add(LineageContributor.create(1, 2, 3, TraceFlags.getSampled().asByte(), null, 0, "Placed"));
    contributors.add(LineageContributor.create(4, 5, 6, TraceFlags.getDefault().asByte(), state, 7, null));
    contributors.add(LineageContributor.create(-1, -2, -3, (byte) 0xff, null, LineageContributor.MAX_SEQUENCE, "X"));

    PendingContributors packed = PendingContributors.of(contributors);

    assertThat(packed).hasSize(3).isEqualTo(contributors);
    assertThat(PendingContributors.of(packed)).isSameAs(packed);
    assertThat(packed.get(1).getTraceState()).isEqualTo(state);
    assertThat(packed.get(0).getTraceState().isEmpty()).isTrue();
    assertThat(packed.get(0).getTraceId()).isEqualTo(TraceId.fromLongs(1, 2));
    assertThat(packed.get(0).getSpanId()).isEqualTo(SpanId.fromLong(3));
    assertThat(packed.get(2).getTraceFlags().asByte()).isEqualTo((byte) 0xff);
    assertThat(packed.sequence(2)).isEqualTo(LineageContributor.MAX_SEQUENCE);
    assertThat(packed.sampled(0)).isTrue();
    assertThat(packed.sampled(1)).isFalse();
    assertThat(packed.containsSpan(4, 5, 6)).isTrue();
    assertThat(packed.containsSpan(4, 5, 7)).isFalse();
    assertThatThrownBy(() -> packed.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> packed.sequence(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void builder_copiesFromAnotherAndGrows() {
    List<LineageContributor> contributors = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      contributors.add(LineageContributor.create(9, i + 1, i + 100, (byte) 1, null, i, "E" + (i % 3)));
    }
    PendingContributors first = PendingContributors.of(contributors);
    PendingContributors.Builder builder = new PendingContributors.Builder(1);
    for (int i = 10; i < 40; i++) {
      builder.addFrom(first, i);
    }
    PendingContributors copied = builder.build();
    assertThat(copied).isEqualTo(contributors.subList(10, 40));
    assertThat(new PendingContributors.Builder(4).build()).isSameAs(PendingContributors.EMPTY);
  }

  @Test
  void sequence_outOfRange_isKeptWithinItsBitsAndFlagsStayIntact() {
    LineageContributor huge = LineageContributor.create(1, 1, 1, (byte) 1, null, Long.MAX_VALUE, null);
    LineageContributor negative = LineageContributor.create(1, 1, 1, (byte) 1, null, -5, null);
    assertThat(huge.sequence()).isEqualTo(LineageContributor.MAX_SEQUENCE);
    assertThat(huge.isSampled()).isTrue();
    assertThat(negative.sequence()).isZero();
    assertThat(negative.isSampled()).isTrue();
  }

  @Test
  void appended_twiceToTheSameList_eachSeesItsOwnContributors() {
    PendingContributors base = PendingContributors.EMPTY;
    List<LineageContributor> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) { // grows on its own arrays, then in place
      LineageContributor next = LineageContributor.create(1, i + 1, i + 1, (byte) 1, null, i, "E");
      base = base.appended(new LineageContributor[] {next}, 1);
      expected.add(next);
    }
    assertThat(base).isEqualTo(expected);
    LineageContributor a = LineageContributor.create(2, 1, 1, (byte) 1, null, 50, "A");
    LineageContributor b = LineageContributor.create(3, 1, 1, (byte) 0, null, 50, "B");
    PendingContributors withA = base.appended(new LineageContributor[] {a}, 1);
    PendingContributors withB = base.appended(new LineageContributor[] {b}, 1);

    assertThat(base).isEqualTo(expected);
    assertThat(withA).hasSize(51).endsWith(a).startsWith(expected.toArray(new LineageContributor[0]));
    assertThat(withB).hasSize(51).endsWith(b).startsWith(expected.toArray(new LineageContributor[0]));
    assertThat(withB.sampled(50)).isFalse();
    assertThat(withA.appended(new LineageContributor[] {b}, 1)).hasSize(52).endsWith(a, b);
    TraceState state = TraceState.builder().put("k", "v").build();
    LineageContributor stated = LineageContributor.create(4, 1, 1, (byte) 1, state, 51, null);
    assertThat(withA.appended(new LineageContributor[] {stated}, 1).get(51).getTraceState()).isEqualTo(state);
    PendingContributors fresh = PendingContributors.EMPTY.appended(new LineageContributor[] {a}, 1);
    assertThat(fresh.appended(new LineageContributor[] {stated}, 1).get(1).getTraceState()).isEqualTo(state);
  }
}
