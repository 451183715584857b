package io.tracefold.core;

import static io.tracefold.core.TracefoldAttributes.EVENT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.EVENT_TYPE;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.LinkData;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventLinkAttributesTest {

  @RegisterExtension static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  @Test
  void of_actsLikeTheBuiltAttributesOfTheSameEntries() {
    Attributes built = Attributes.of(LINK_KIND, LINK_KIND_EVENT, EVENT_SEQUENCE, 4711L, EVENT_TYPE, "ItemAdded");
    Attributes ours = EventLinkAttributes.of(4711, "ItemAdded", 128);

    assertThat(ours).isEqualTo(built);
    assertThat(ours.asMap()).isEqualTo(built.asMap());
    assertThat(ours.hashCode()).isEqualTo(built.asMap().hashCode());
    assertThat(ours.toBuilder().build()).isEqualTo(built);
    assertThat(ours.get(EVENT_SEQUENCE)).isEqualTo(4711L);
    assertThat(ours.get(EVENT_TYPE)).isEqualTo("ItemAdded");
    assertThat(ours.get(AttributeKey.stringKey("other"))).isNull();
    assertThat(ours.get(AttributeKey.longKey(EVENT_TYPE.getKey()))).isNull(); // same name, other type
    Map<AttributeKey<?>, Object> visited = new LinkedHashMap<>();
    ours.forEach(visited::put);
    assertThat(visited).isEqualTo(built.asMap());
  }

  @Test
  void of_withinLimitAndWithoutType_keepsTheMostUsefulFirst() {
    assertThat(EventLinkAttributes.of(3, null, 128)).isEqualTo(Attributes.of(LINK_KIND, LINK_KIND_EVENT, EVENT_SEQUENCE, 3L));
    assertThat(EventLinkAttributes.of(3, "T", 1)).isEqualTo(Attributes.of(LINK_KIND, LINK_KIND_EVENT));
    assertThat(EventLinkAttributes.of(3, "T", 1).get(EVENT_SEQUENCE)).isNull();
    assertThat(EventLinkAttributes.of(3, "T", 0)).isSameAs(Attributes.empty());
  }

  @Test
  void link_onARealSdkSpan_isExportedWithItsAttributes() {
    Span span = otel.getOpenTelemetry().getTracer("t").spanBuilder("s").startSpan();
    span.addLink(LineageContributor.create(1, 2, 3, (byte) 1, null, 42, "Placed"), EventLinkAttributes.of(42, "Placed", 128));
    span.end();
    LinkData link = otel.getSpans().get(0).getLinks().get(0);
    assertThat(link.getAttributes().get(EVENT_SEQUENCE)).isEqualTo(42L);
    assertThat(link.getAttributes().get(EVENT_TYPE)).isEqualTo("Placed");
    assertThat(link.getTotalAttributeCount()).isEqualTo(3);
  }
}
