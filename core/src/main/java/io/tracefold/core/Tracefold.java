package io.tracefold.core;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.util.Objects;

/**
 * Entry point of Tracefold core: links the span of a state reconstruction to the spans of the
 * events that built the state.
 *
 * <p>Typical use, per reconstruction of one entity:
 *
 * <pre>{@code
 * Tracefold tracefold = Tracefold.create(openTelemetry);
 * LinkCollector collector = tracefold.newCollector();
 * Lineage checkpoint = cache.get(entityId);              // or Lineage.empty()
 * for (Event e : events) {
 *   if (e.sequence() <= checkpoint.coveredSequence()) {
 *     collector.skipCovered(e.sequence());
 *   } else {
 *     collector.offer(e.metadata().get("traceparent"), e.metadata().get("tracestate"),
 *         e.sequence(), e.type());
 *   }
 * }
 * cache.put(entityId, tracefold.link(reconstructionSpan, collector, checkpoint));
 * }</pre>
 *
 * <p>Run-time methods never throw: failures are counted on the span as
 * {@link TracefoldAttributes#ERRORS}. Configuration is validated eagerly.
 */
public final class Tracefold {

  /** The instrumentation scope name of every span Tracefold emits. */
  public static final String INSTRUMENTATION_NAME = "io.tracefold";

  private final Tracer tracer;
  private final LinkLimits linkLimits;
  private final LineageEngine engine;

  private Tracefold(Tracer tracer, LinkLimits linkLimits) {
    this.tracer = tracer;
    this.linkLimits = linkLimits;
    this.engine = new LineageEngine(tracer);
  }

  /** Returns a Tracefold with default {@link LinkLimits} that emits through {@code openTelemetry}. */
  public static Tracefold create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /** Returns a builder that emits through {@code openTelemetry}. */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(openTelemetry);
  }

  /** Returns the tracer lineage spans are emitted with. */
  public Tracer getTracer() {
    return tracer;
  }

  /** Returns the default link limits of this instance. */
  public LinkLimits getLinkLimits() {
    return linkLimits;
  }

  /** Returns a new, empty collector for one reconstruction at a time. */
  public LinkCollector newCollector() {
    return new LinkCollector();
  }

  /**
   * Links {@code reconstruction} to every contributor of {@code checkpoint} and {@code collector}
   * with this instance's limits, and returns the checkpoint to keep for the next reconstruction.
   *
   * @see #link(Span, LinkCollector, Lineage, LinkLimits, boolean, int, Attributes)
   */
  public Lineage link(Span reconstruction, LinkCollector collector, Lineage checkpoint) {
    return engine.link(reconstruction, collector, checkpoint, linkLimits, false, 0, Attributes.empty());
  }

  /**
   * Links {@code reconstruction} to every contributor: the peaks of {@code checkpoint}, which stand
   * for the history up to {@link Lineage#coveredSequence()}, and the contexts in
   * {@code collector}, which must hold only events after it. Contributors beyond the budget are
   * reached through lineage spans (children of {@code reconstruction}); full lineage nodes become
   * part of the returned checkpoint, so they are linked, not re-emitted, next time.
   *
   * <p>Attributes set on {@code reconstruction}: {@link TracefoldAttributes#EVENTS},
   * {@link TracefoldAttributes#CONTRIBUTORS}, {@link TracefoldAttributes#LINKS_DIRECT},
   * {@link TracefoldAttributes#LINEAGE_SPANS}, the {@code CONTEXTS_*} counts, and
   * {@link TracefoldAttributes#CHECKPOINT_SEQUENCE} when a checkpoint was used. Lossy policies
   * link directly only, set {@link TracefoldAttributes#LINKS_DROPPED} and keep no checkpoint.
   *
   * <p>Nothing happens for a span that is not recording. The checkpoint only advances when
   * {@code reconstruction} is sampled: lineage spans of an unexported trace must not be linked.
   *
   * @param reconstruction the span of the reconstruction; links are added after its start
   * @param collector the contexts of the events read after the checkpoint, in stream order
   * @param checkpoint what earlier reconstructions already cover; {@link Lineage#empty()} if none
   * @param limits the budget and overflow policy for this reconstruction
   * @param seal whether to close the pending remainder into a node too, so the returned checkpoint
   *     covers every event read (used for snapshots, whose checkpoint travels in metadata)
   * @param reservedLinks direct links the caller adds itself (e.g. to a snapshot span), kept free
   *     in the budget
   * @param lineageAttributes attributes for every lineage span emitted (e.g. the entity type)
   * @return the checkpoint covering this reconstruction's history; never null
   */
  public Lineage link(
      Span reconstruction,
      LinkCollector collector,
      Lineage checkpoint,
      LinkLimits limits,
      boolean seal,
      int reservedLinks,
      Attributes lineageAttributes) {
    return engine.link(reconstruction, collector, checkpoint, limits, seal, reservedLinks, lineageAttributes);
  }

  /**
   * Appends the events in {@code collector} to the lineage of an entity whose events are not read
   * again (a read-model entity updated by a projection), and links {@code update} to every
   * contributor of the entity so far: the new events' own spans directly, and the history through
   * the forest peaks and the pending contributors that {@code previous} carries. Each full budget of
   * contributors becomes a lineage node once; the work per update is bounded by the budget and does
   * not grow with history.
   *
   * <p>Store the returned lineage (e.g. {@link Lineage#encode()}) with the entity; it only advances
   * when {@code update} is sampled. Never throws.
   *
   * @param update the span of the update; links are added after its start
   * @param collector the contexts of the new events, in order
   * @param previous the entity's stored lineage; {@link Lineage#empty()} for a new entity
   * @param limits the budget for this entity
   * @param reservedLinks direct links the caller adds itself, kept free in the budget
   * @param lineageAttributes attributes for every lineage span emitted
   * @return the entity's new lineage; never null
   */
  public Lineage append(
      Span update,
      LinkCollector collector,
      Lineage previous,
      LinkLimits limits,
      int reservedLinks,
      Attributes lineageAttributes) {
    return engine.append(update, collector, previous, limits, reservedLinks, lineageAttributes);
  }

  /** Builder of {@link Tracefold}. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private LinkLimits linkLimits = LinkLimits.getDefault();

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /** Sets the default link limits; {@link LinkLimits#getDefault()} if not set. */
    public Builder setLinkLimits(LinkLimits linkLimits) {
      this.linkLimits = Objects.requireNonNull(linkLimits, "linkLimits");
      return this;
    }

    /** Returns the configured Tracefold. */
    public Tracefold build() {
      Tracer tracer = openTelemetry.tracerBuilder(INSTRUMENTATION_NAME).build();
      return new Tracefold(tracer, linkLimits);
    }
  }
}
