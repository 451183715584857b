package io.tracefold.core;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import java.time.Clock;
import java.util.Objects;

/**
 * Entry point of Tracefold core: records the contributors of an entity's state in its
 * {@link Lineage} and links the span of each reconstruction to the spans of the events that built
 * the state.
 *
 * <p>Typical use, per reconstruction of one entity:
 *
 * <pre>{@code
 * Tracefold tracefold = Tracefold.create(openTelemetry);
 * LinkCollector collector = tracefold.newCollector();
 * Lineage state = cache.get(entityId);                   // or Lineage.empty()
 * for (Event e : events) {
 *   if (e.sequence() <= state.coveredSequence()) {
 *     collector.skipCovered(e.sequence());
 *   } else {
 *     collector.offer(e.metadata().get("traceparent"), e.metadata().get("tracestate"),
 *         e.sequence(), e.type());
 *   }
 * }
 * cache.put(entityId, tracefold.link(reconstructionSpan, collector, state)
 *     .anchoredTo(firstEventId, lastEventId));
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
  private final LinkOptions defaultOptions;
  private final Clock clock;
  private final LineageEngine engine;

  private Tracefold(Tracer tracer, LinkLimits linkLimits, Clock clock) {
    this.tracer = tracer;
    this.linkLimits = linkLimits;
    this.defaultOptions = LinkOptions.builder().setLimits(linkLimits).build();
    this.clock = clock;
    this.engine = new LineageEngine(tracer, clock::millis);
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

  /** Returns the clock lineage ages are measured with. */
  public Clock getClock() {
    return clock;
  }

  /** Returns a new, empty collector for one reconstruction at a time. */
  public LinkCollector newCollector() {
    return new LinkCollector();
  }

  /**
   * Records and links with this instance's limits and default options.
   *
   * @see #link(Span, LinkCollector, Lineage, LinkOptions)
   */
  public Lineage link(Span reconstruction, LinkCollector collector, Lineage state) {
    return engine.link(reconstruction, collector, state, defaultOptions);
  }

  /**
   * Records the contributors in {@code collector} (events after {@code state}'s covered sequence,
   * in stream order) into the entity's lineage, links {@code reconstruction} to every contributor
   * of the result, and returns the new lineage state to keep.
   *
   * <p>Recording happens whatever the span's sampling decision. Linking happens only on a
   * recording span: the forest's peaks and the pending contributors directly, within the budget;
   * beyond it through lineage spans (children of {@code reconstruction}), emitted only when
   * {@code reconstruction} is sampled and kept in the lineage only when their own span was sampled
   * too, so the lineage never references a span that was not exported. A few new contributors
   * (up to half the budget) are always linked directly.
   *
   * <p>Attributes set on {@code reconstruction}: {@link TracefoldAttributes#EVENTS},
   * {@link TracefoldAttributes#CONTRIBUTORS}, {@link TracefoldAttributes#LINKS_DIRECT}, and when
   * they apply (a count only when not zero) {@link TracefoldAttributes#LINEAGE_SPANS}, the
   * {@code CONTEXTS_*} counts, {@link TracefoldAttributes#CHECKPOINT_SEQUENCE},
   * {@link TracefoldAttributes#LINKS_UNLINKED},
   * {@link TracefoldAttributes#LINEAGE_UNEXPORTED}, {@link TracefoldAttributes#LINEAGE_AGE_MS}.
   * Lossy policies link directly only, set {@link TracefoldAttributes#LINKS_DROPPED} and keep no
   * lineage. The returned lineage keeps {@code state}'s anchor: anchor it with
   * {@link Lineage#anchoredTo}.
   *
   * @param reconstruction the span of the reconstruction; links are added after its start
   * @param collector the contexts of the events read after the lineage's covered sequence
   * @param state the entity's lineage so far; {@link Lineage#empty()} if none
   * @param options limits and flags of this call
   * @return the entity's new lineage state; never null
   */
  public Lineage link(Span reconstruction, LinkCollector collector, Lineage state, LinkOptions options) {
    return engine.link(reconstruction, collector, state, options);
  }

  /** The oldest OpenTelemetry API Tracefold runs on: {@code Span.addLink} after start. */
  public static final String MIN_API_VERSION = "1.37.0";

  /**
   * Fails at configuration time, never with a {@code NoSuchMethodError} in a command, when
   * {@code spanType} lacks what Tracefold calls.
   */
  static void requireApi(Class<?> spanType, String foundVersion) {
    try {
      spanType.getMethod("addLink", SpanContext.class, Attributes.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "Tracefold needs opentelemetry-api " + MIN_API_VERSION + " or newer (Span.addLink after a span"
              + " started); found " + foundVersion + ". Upgrade io.opentelemetry:opentelemetry-api (e.g. with"
              + " the opentelemetry-bom) or set tracefold.enabled=false.", e);
    }
  }

  /** Returns the version of the OpenTelemetry API on the class path, as its jar says, or "unknown". */
  static String apiVersion() {
    Package api = OpenTelemetry.class.getPackage();
    String version = api == null ? null : api.getImplementationVersion();
    return version == null ? "an unknown version" : version;
  }

  /** Builder of {@link Tracefold}. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private LinkLimits linkLimits = LinkLimits.getDefault();
    private Clock clock = Clock.systemUTC();

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /** Sets the default link limits; {@link LinkLimits#getDefault()} if not set. */
    public Builder setLinkLimits(LinkLimits linkLimits) {
      this.linkLimits = Objects.requireNonNull(linkLimits, "linkLimits");
      return this;
    }

    /** Sets the clock lineage ages are measured with; the system clock if not set. */
    public Builder setClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Returns the configured Tracefold.
     *
     * @throws IllegalStateException if the OpenTelemetry API on the class path is older than
     *     {@value #MIN_API_VERSION} (links are added after a span started), naming the version found
     */
    public Tracefold build() {
      requireApi(Span.class, apiVersion());
      Tracer tracer = openTelemetry.tracerBuilder(INSTRUMENTATION_NAME).build();
      return new Tracefold(tracer, linkLimits, clock);
    }
  }
}
