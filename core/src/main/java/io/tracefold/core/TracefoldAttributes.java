package io.tracefold.core;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Every span name and attribute key Tracefold emits, in one place (the core README has the table).
 *
 * <p>Span names are constants of low cardinality: entity ids and types are attributes, never part
 * of a name.
 */
public final class TracefoldAttributes {

  /** Name of a lineage span: a node of the lineage forest that links to up to a budget of targets. */
  public static final String LINEAGE_SPAN_NAME = "tracefold.lineage";

  // --- what a link points at -------------------------------------------------------------

  /** Link attribute: what the link target is; one of the {@code LINK_KIND_*} values. */
  public static final AttributeKey<String> LINK_KIND = AttributeKey.stringKey("tracefold.link.kind");

  /** {@link #LINK_KIND} of a link to the span that produced an event. */
  public static final String LINK_KIND_EVENT = "event";

  /** {@link #LINK_KIND} of a link to a lineage span (a checkpoint or overflow node). */
  public static final String LINK_KIND_LINEAGE = "lineage";

  /** {@link #LINK_KIND} of a link to a snapshot span. */
  public static final String LINK_KIND_SNAPSHOT = "snapshot";

  /**
   * {@link #LINK_KIND} of a link to an earlier reconstruction span of the same entity (e.g. from a
   * load served by a cache, which rebuilds nothing).
   */
  public static final String LINK_KIND_RECONSTRUCTION = "reconstruction";

  /** {@link #LINK_KIND} of a link to an entity's previous projection span. */
  public static final String LINK_KIND_PROJECTION = "projection";

  /** Link attribute: sequence number of the (first) event a linked event span produced. */
  public static final AttributeKey<Long> EVENT_SEQUENCE = AttributeKey.longKey("tracefold.event.sequence");

  /** Link attribute: payload type of the (first) event a linked event span produced. */
  public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("tracefold.event.type");

  // --- lineage nodes -----------------------------------------------------------------------

  /** Lineage span and link attribute: height of the node (0 links events, n links level n-1). */
  public static final AttributeKey<Long> LINEAGE_LEVEL = AttributeKey.longKey("tracefold.lineage.level");

  /** Lineage span and link attribute: number of event spans the node reaches. */
  public static final AttributeKey<Long> LINEAGE_CONTRIBUTORS =
      AttributeKey.longKey("tracefold.lineage.contributors");

  /** Lineage span and link attribute: lowest event sequence number the node reaches. */
  public static final AttributeKey<Long> LINEAGE_FIRST_SEQUENCE =
      AttributeKey.longKey("tracefold.lineage.first_sequence");

  /** Lineage span and link attribute: highest event sequence number the node reaches. */
  public static final AttributeKey<Long> LINEAGE_LAST_SEQUENCE =
      AttributeKey.longKey("tracefold.lineage.last_sequence");

  /**
   * Lineage span attribute: {@code true} for a node kept as a checkpoint (linked by later
   * reconstructions), {@code false} for a one-off overflow node of a single reconstruction.
   */
  public static final AttributeKey<Boolean> LINEAGE_CHECKPOINT =
      AttributeKey.booleanKey("tracefold.lineage.checkpoint");

  // --- reconstruction span -----------------------------------------------------------------

  /** Reconstruction span attribute: type of the reconstructed entity (aggregate or read model). */
  public static final AttributeKey<String> ENTITY_TYPE = AttributeKey.stringKey("tracefold.entity.type");

  /** Reconstruction span attribute: identifier of the reconstructed entity. */
  public static final AttributeKey<String> ENTITY_ID = AttributeKey.stringKey("tracefold.entity.id");

  /** Reconstruction span attribute: events read during this reconstruction. */
  public static final AttributeKey<Long> EVENTS = AttributeKey.longKey("tracefold.events");

  /** Reconstruction span attribute: distinct event spans that contributed to the whole state. */
  public static final AttributeKey<Long> CONTRIBUTORS = AttributeKey.longKey("tracefold.contributors");

  /** Reconstruction span attribute: links carried by the reconstruction span itself. */
  public static final AttributeKey<Long> LINKS_DIRECT = AttributeKey.longKey("tracefold.links.direct");

  /** Reconstruction span attribute: contributors not linked at all (lossy overflow policies only). */
  public static final AttributeKey<Long> LINKS_DROPPED = AttributeKey.longKey("tracefold.links.dropped");

  /** Reconstruction span attribute: lineage spans this reconstruction emitted (absent: none). */
  public static final AttributeKey<Long> LINEAGE_SPANS = AttributeKey.longKey("tracefold.lineage.spans");

  /** Reconstruction span attribute: the last event sequence number covered by the checkpoint used. */
  public static final AttributeKey<Long> CHECKPOINT_SEQUENCE =
      AttributeKey.longKey("tracefold.checkpoint.sequence");

  /** Reconstruction span attribute: events whose trace context was present but malformed (absent: none). */
  public static final AttributeKey<Long> CONTEXTS_INVALID = AttributeKey.longKey("tracefold.contexts.invalid");

  /** Reconstruction span attribute: events without a trace context, or of a wrong type (absent: none). */
  public static final AttributeKey<Long> CONTEXTS_MISSING = AttributeKey.longKey("tracefold.contexts.missing");

  /** Reconstruction span attribute: distinct contributors whose span was not sampled (absent: none). */
  public static final AttributeKey<Long> CONTEXTS_UNSAMPLED =
      AttributeKey.longKey("tracefold.contexts.unsampled");

  /** Reconstruction span attribute: stored provenance entries that could not be decoded. */
  public static final AttributeKey<Long> PROVENANCE_CORRUPT =
      AttributeKey.longKey("tracefold.provenance.corrupt");

  /** Reconstruction span attribute: sequence number of the snapshot the state started from. */
  public static final AttributeKey<Long> SNAPSHOT_SEQUENCE = AttributeKey.longKey("tracefold.snapshot.sequence");

  /**
   * Load span attribute: {@code true} when the aggregate came from a cache and was not rebuilt; the
   * span then links its latest reconstruction span.
   */
  public static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("tracefold.cache.hit");

  /** Span attribute: {@code true} on a projection span produced by a replay. */
  public static final AttributeKey<Boolean> REPLAY = AttributeKey.booleanKey("tracefold.replay");

  /**
   * Reconstruction span attribute: contributors recorded in the lineage but reached by no link of
   * this span, because no exported lineage span could hold them (e.g. a sampler drops lineage spans)
   * and the direct-link budget was spent. They stay recorded for a later sampled span.
   */
  public static final AttributeKey<Long> LINKS_UNLINKED = AttributeKey.longKey("tracefold.links.unlinked");

  /**
   * Reconstruction span attribute: lineage nodes not used because their span was not sampled
   * (never exported); their contributors stay recorded as pending.
   */
  public static final AttributeKey<Long> LINEAGE_UNEXPORTED = AttributeKey.longKey("tracefold.lineage.unexported");

  /**
   * Reconstruction span attribute: contributors dropped from the lineage because more were pending
   * than {@link LinkLimits#getMaxPendingContributors()} allows (total for the entity).
   */
  public static final AttributeKey<Long> CONTEXTS_DROPPED = AttributeKey.longKey("tracefold.contexts.dropped");

  /**
   * Reconstruction span attribute: {@code true} when stored lineage state was discarded because it
   * describes another stream (its anchor did not match: store emptied, restored or shared) or is
   * inconsistent with it; the reconstruction then reaches only what it read itself.
   */
  public static final AttributeKey<Boolean> LINEAGE_DISCARDED = AttributeKey.booleanKey("tracefold.lineage.discarded");

  /**
   * Reconstruction span attribute: age in milliseconds of the oldest lineage node linked (traces
   * older than the backend's retention are gone; see the README's sampling guide).
   */
  public static final AttributeKey<Long> LINEAGE_AGE_MS = AttributeKey.longKey("tracefold.lineage.age_ms");

  /**
   * Lineage span attribute: {@code true} on every lineage span, so a tail-sampling policy can keep
   * the traces that hold them (see the README's sampling guide).
   */
  public static final AttributeKey<Boolean> LINEAGE = AttributeKey.booleanKey("tracefold.lineage");

  /** Span attribute: internal tracing failures swallowed (fail-open) while handling this span. */
  public static final AttributeKey<Long> ERRORS = AttributeKey.longKey("tracefold.errors");

  private TracefoldAttributes() {}
}
