package io.tracefold.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.tracefold.core.internal.W3CTraceContext;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

/** The write path's one-copy metadata merge gives what Axon's {@code andMetaData} gives. */
class AppendedMetaDataTest {

  private static final Map<String, String> AXON = Map.of("traceId", "c-1", "correlationId", "c-1");

  private static GenericDomainEventMessage<String> event(Map<String, ?> metaData) {
    return new GenericDomainEventMessage<>(
        "Order", "o-1", 7, "payload", metaData, "event-id", Instant.ofEpochSecond(1_700_000_000));
  }

  @Test
  void append_oneEntry_sameMessageAsAndMetaData() {
    GenericDomainEventMessage<String> event = event(AXON);

    GenericDomainEventMessage<String> appended = AppendedMetaData.append(event, "traceparent", "tp", null, null);

    assertSameMessage(appended, event.andMetaData(Map.of("traceparent", "tp")));
    assertThat(appended.getMetaData()).containsOnly(
        Map.entry("traceId", "c-1"), Map.entry("correlationId", "c-1"), Map.entry("traceparent", "tp"));
    assertThat(event.getMetaData()).doesNotContainKey("traceparent");
  }

  /**
   * Like Axon's {@code AnnotatedAggregate.LazyIdentifierDomainEventMessage} once its aggregate id
   * is known: {@code withMetaData} returns a copy with the old metadata, {@code andMetaData} merges.
   */
  private static final class IgnoringWithMetaData<T> extends GenericDomainEventMessage<T> {
    IgnoringWithMetaData(T payload, Map<String, ?> metaData) {
      super("Order", "o-1", 0, payload, metaData);
    }

    @Override
    public GenericDomainEventMessage<T> withMetaData(Map<String, ?> newMetaData) {
      return new GenericDomainEventMessage<>(getType(), getAggregateIdentifier(), getSequenceNumber(), getPayload(),
          getMetaData(), getIdentifier(), getTimestamp());
    }
  }

  @Test
  void append_messageWhoseWithMetaDataDropsTheArgument_stillCarriesTheContext() {
    IgnoringWithMetaData<String> event = new IgnoringWithMetaData<>("payload", AXON);

    GenericDomainEventMessage<String> appended =
        AppendedMetaData.append(event, "traceparent", "tp", "tracestate", "k=v");

    assertThat(appended.getMetaData()).containsOnly(Map.entry("traceId", "c-1"), Map.entry("correlationId", "c-1"),
        Map.entry("traceparent", "tp"), Map.entry("tracestate", "k=v"));
    assertThat(appended.getIdentifier()).isEqualTo(event.getIdentifier());
    assertThat(appended.getSequenceNumber()).isZero();
  }

  @Test
  void append_twoEntries_sameMessageAsAndMetaData() {
    GenericDomainEventMessage<String> event = event(AXON);

    GenericDomainEventMessage<String> appended = AppendedMetaData.append(event, "traceparent", "tp", "tracestate", "ts");

    assertSameMessage(appended, event.andMetaData(Map.of("traceparent", "tp", "tracestate", "ts")));
    assertThat(appended.getMetaData()).hasSize(4).containsEntry("tracestate", "ts");
  }

  @Test
  void append_keyPresent_replacesItAsAndMetaDataDoes() {
    GenericDomainEventMessage<String> event = event(Map.of("traceparent", "old", "tracestate", "old", "k", "v"));

    GenericDomainEventMessage<String> one = AppendedMetaData.append(event, "traceparent", "tp", null, null);
    GenericDomainEventMessage<String> two = AppendedMetaData.append(event, "traceparent", "tp", "tracestate", "ts");

    assertSameMessage(one, event.andMetaData(Map.of("traceparent", "tp")));
    assertThat(one.getMetaData()).containsEntry("traceparent", "tp").containsEntry("tracestate", "old");
    assertSameMessage(two, event.andMetaData(Map.of("traceparent", "tp", "tracestate", "ts")));
  }

  @Test
  void append_emptyMetaDataOrNullSecondValue_sameAsAndMetaData() {
    GenericDomainEventMessage<String> empty = event(MetaData.emptyInstance());

    assertSameMessage(
        AppendedMetaData.append(empty, "traceparent", "tp", null, null), empty.andMetaData(Map.of("traceparent", "tp")));
    assertThat(AppendedMetaData.append(event(AXON), "traceparent", "tp", "tracestate", null).getMetaData())
        .hasSize(3)
        .doesNotContainKey("tracestate");
  }

  @Test
  void append_commandMessage_keepsCommandNameAndType() {
    GenericCommandMessage<String> command =
        new GenericCommandMessage<>(new org.axonframework.messaging.GenericMessage<>("payload", AXON), "custom-name");

    Message<?> appended = AppendedMetaData.append(command, "traceparent", "tp", null, null);

    assertThat(appended).isInstanceOf(GenericCommandMessage.class);
    assertThat(((GenericCommandMessage<?>) appended).getCommandName()).isEqualTo("custom-name");
    assertThat(appended.getIdentifier()).isEqualTo(command.getIdentifier());
    assertThat(appended.getMetaData()).hasSize(3).containsEntry("traceparent", "tp");
  }

  @Test
  void propagateContext_currentSpanWithTraceState_writesTraceparentAndTracestate() {
    TracefoldSpanFactory factory =
        new TracefoldSpanFactory(SdkTracerProvider.builder().build().get("test"), Set.of(), false, true);
    SpanContext context =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.builder().put("vendor", "v1").build());

    GenericDomainEventMessage<String> propagated;
    try (Scope ignored = Span.wrap(context).makeCurrent()) {
      propagated = factory.propagateContext(event(AXON));
    }

    assertThat(propagated.getMetaData())
        .containsEntry(W3CTraceContext.TRACEPARENT, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .containsEntry(W3CTraceContext.TRACESTATE, "vendor=v1")
        .containsEntry("traceId", "c-1")
        .hasSize(4);
    assertThat(propagated.getSequenceNumber()).isEqualTo(7);
  }

  private static void assertSameMessage(GenericDomainEventMessage<?> actual, GenericDomainEventMessage<?> expected) {
    assertThat(actual.getMetaData()).isEqualTo(expected.getMetaData());
    assertThat(actual.getIdentifier()).isEqualTo(expected.getIdentifier());
    assertThat(actual.getPayload()).isEqualTo(expected.getPayload());
    assertThat(actual.getType()).isEqualTo(expected.getType());
    assertThat(actual.getAggregateIdentifier()).isEqualTo(expected.getAggregateIdentifier());
    assertThat(actual.getSequenceNumber()).isEqualTo(expected.getSequenceNumber());
    assertThat(actual.getTimestamp()).isEqualTo(expected.getTimestamp());
  }
}
