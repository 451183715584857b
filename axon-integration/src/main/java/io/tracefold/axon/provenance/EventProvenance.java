package io.tracefold.axon.provenance;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One stored event of an aggregate, as its metadata remembers the span that published it.
 *
 * @param sequence the event's sequence number in its aggregate's stream
 * @param eventId the event's identifier (cut at 256 characters), or null if it could not be read
 * @param payloadType the payload's class name (cut at 256 characters), or null if it could not be resolved
 * @param timestamp when the event was created, or null if it could not be read
 * @param traceId the 32 hex digits of the trace id of the event's span
 * @param spanId the 16 hex digits of the event's span id
 * @param sampled whether the span was sampled (an unsampled span was never exported)
 * @param url the deep link to the span, or null when the span was not sampled or no template is set
 */
public record EventProvenance(
    long sequence,
    @Nullable String eventId,
    @Nullable String payloadType,
    @Nullable Instant timestamp,
    String traceId,
    String spanId,
    boolean sampled,
    @Nullable String url) {}
