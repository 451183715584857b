package io.tracefold.axon.provenance;

import org.jspecify.annotations.Nullable;

/**
 * A span a read-model entity's stored lineage points at: a lineage span (through which older
 * contributing event spans are reached) or a recent contributing event span.
 *
 * @param kind {@code "lineage"} for a lineage span, {@code "event"} for a contributing event span
 * @param traceId the 32 hex digits of the span's trace id
 * @param spanId the 16 hex digits of the span id
 * @param sampled whether the span was sampled (an unsampled span was never exported)
 * @param url the deep link to the span, or null when it was not sampled or no template is set
 */
public record SpanReference(String kind, String traceId, String spanId, boolean sampled, @Nullable String url) {}
