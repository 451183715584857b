package io.tracefold.examples.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Spans read back from the OTLP JSON that the agent's {@code logging-otlp} exporter prints, one
 * {@code ResourceSpans} object per line, as {@link SpanData} (so the shared {@code ProvenanceGraph}
 * walks them as it walks in-memory exported spans).
 */
final class OtlpJsonSpans {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SpanKind[] KINDS = {
    SpanKind.INTERNAL, SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER
  };

  private OtlpJsonSpans() {}

  /** Adds the spans of one output line to {@code spans}; a line without OTLP JSON adds nothing. */
  static void parseLine(String line, List<SpanData> spans) {
    int start = line.indexOf("{\"resource");
    if (start < 0 || !line.contains("\"scopeSpans\"")) {
      return;
    }
    JsonNode root;
    try {
      root = JSON.readTree(line.substring(start));
    } catch (IOException e) {
      throw new UncheckedIOException("not OTLP JSON: " + line.substring(0, Math.min(line.length(), 300)), e);
    }
    JsonNode resources = root.has("resourceSpans") ? root.get("resourceSpans") : JSON.createArrayNode().add(root);
    for (JsonNode resource : resources) {
      for (JsonNode scope : resource.path("scopeSpans")) {
        for (JsonNode span : scope.path("spans")) {
          spans.add(span(span));
        }
      }
    }
  }

  private static SpanData span(JsonNode span) {
    List<LinkData> links = new ArrayList<>();
    for (JsonNode link : span.path("links")) {
      links.add(LinkData.create(context(link.path("traceId").asText(), link.path("spanId").asText()),
          attributes(link.path("attributes"))));
    }
    String parent = span.path("parentSpanId").asText("");
    int kind = span.path("kind").asInt(1);
    return TestSpanData.builder()
        .setSpanContext(context(span.path("traceId").asText(), span.path("spanId").asText()))
        .setParentSpanContext(parent.isEmpty()
            ? SpanContext.getInvalid() : context(span.path("traceId").asText(), parent))
        .setName(span.path("name").asText())
        .setKind(kind >= 0 && kind < KINDS.length ? KINDS[kind] : SpanKind.INTERNAL)
        .setStartEpochNanos(span.path("startTimeUnixNano").asLong())
        .setEndEpochNanos(span.path("endTimeUnixNano").asLong())
        .setHasEnded(true)
        .setStatus(StatusData.unset())
        .setAttributes(attributes(span.path("attributes")))
        .setLinks(links)
        .setTotalRecordedLinks(links.size() + span.path("droppedLinksCount").asInt(0))
        .build();
  }

  private static SpanContext context(String traceId, String spanId) {
    return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }

  private static Attributes attributes(JsonNode attributes) {
    AttributesBuilder builder = Attributes.builder();
    for (JsonNode attribute : attributes) {
      String key = attribute.path("key").asText();
      JsonNode value = attribute.path("value");
      if (value.has("stringValue")) {
        builder.put(key, value.get("stringValue").asText());
      } else if (value.has("intValue")) {
        builder.put(AttributeKey.longKey(key), value.get("intValue").asLong());
      } else if (value.has("boolValue")) {
        builder.put(key, value.get("boolValue").asBoolean());
      } else if (value.has("doubleValue")) {
        builder.put(key, value.get("doubleValue").asDouble());
      }
    }
    return builder.build();
  }
}
