package io.tracefold.axon;

import io.opentelemetry.api.OpenTelemetry;
import io.tracefold.core.LinkLimits;
import io.tracefold.core.Tracefold;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfiguration;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessorSpanFactory;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.lifecycle.Phase;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.DefaultRepositorySpanFactory;
import org.axonframework.modelling.command.RepositorySpanFactory;
import org.axonframework.modelling.command.inspection.AggregateMetaModelFactory;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.tracing.SpanFactory;

/**
 * Entry point of Tracefold for Axon Framework 4: one {@link ConfigurerModule} that enables traced
 * state reconstruction for every aggregate annotated with {@link TracedAggregate}.
 *
 * <pre>{@code
 * Configurer configurer = DefaultConfigurer.defaultConfiguration()
 *     .configureAggregate(Order.class)
 *     .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
 * AxonTracefold.create(openTelemetry).configureModule(configurer);
 * }</pre>
 *
 * <p>What it registers on the {@link Configurer}:
 *
 * <ul>
 *   <li>the {@link SpanFactory}: OpenTelemetry spans for commands, events, loads and snapshots
 *       through the given {@code OpenTelemetry} (never {@code GlobalOpenTelemetry}), and the W3C
 *       {@code traceparent}/{@code tracestate} in every message's metadata ({@code baggage} only
 *       for allowlisted keys);
 *   <li>a fallback that gives each event its publish span and context when the event store was
 *       built without the event-bus span factory (the plain {@code configureEmbeddedEventStore});
 *   <li>the {@link RepositorySpanFactory} and {@link AggregateMetaModelFactory} through which every
 *       rehydration of a traced aggregate links its {@code initializeState} span to all
 *       contributing event spans (lineage spans beyond the link budget, per-aggregate checkpoints
 *       so repeated loads stay O(1) spans);
 *   <li>the {@link Snapshotter}: Axon's {@link AggregateSnapshotter}, whose snapshots of traced
 *       aggregates carry their provenance in metadata;
 *   <li>the {@link EventProcessorSpanFactory}: process and batch spans are roots linked to their
 *       events (never children of the command's trace), replays marked;
 *   <li>a handler enhancer through which each event handled by a {@link TracedProjection} updates
 *       the read-model entity's lineage in the {@link ProjectionLineageStore}.
 * </ul>
 *
 * <p>Components the user registers after this module replace Tracefold's (last registration wins in
 * Axon); a custom snapshotter then loses snapshot provenance, which later loads count as missing.
 *
 * <p>Each component is also returned by a factory method ({@link #spanFactory()}, {@link
 * #repositorySpanFactory}, {@link #aggregateMetaModelFactory}, {@link #snapshotter}, {@link
 * #eventProcessorSpanFactory()}, {@link #handlerEnhancerDefinition()}, {@link
 * #eventDispatchInterceptor()}), for wiring by hand. Spring Boot applications need none of this:
 * {@code io.tracefold.axon.spring.TracefoldAutoConfiguration} declares each component as a bean.
 */
public final class AxonTracefold implements ConfigurerModule {

  /** Default number of aggregates whose lineage checkpoint is remembered in memory. */
  public static final int DEFAULT_CHECKPOINT_CACHE_SIZE = 10_000;

  /** Default bound of the checkpoint cache's estimated memory: 64 MiB. */
  public static final long DEFAULT_CHECKPOINT_CACHE_BYTES = 64L * 1024 * 1024;

  /**
   * Default age after which remembered lineage is emitted afresh: 24 hours, well inside the trace
   * retention of common backends (days to weeks), so linked lineage spans still exist.
   */
  public static final Duration DEFAULT_LINEAGE_MAX_AGE = Duration.ofHours(24);

  private static final String SPRING_CONFIGURER = "org.axonframework.spring.config.SpringConfigurer";
  private static final boolean AXON_SPRING_PRESENT =
      isPresent("org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter");

  private final Tracefold tracefold;
  private final TracefoldSpanFactory spanFactory;
  private final LineageCheckpoints checkpoints;
  private final ProjectionLineageStore projectionLineageStore;

  private AxonTracefold(Builder builder) {
    this.tracefold =
        Tracefold.builder(builder.openTelemetry).setLinkLimits(builder.linkLimits).setClock(builder.clock).build();
    this.spanFactory =
        new TracefoldSpanFactory(
            tracefold.getTracer(), Set.copyOf(builder.baggageAllowlist), builder.copyMetadataToSpanAttributes,
            builder.eventPublishSpans);
    this.checkpoints =
        new LineageCheckpoints(
            builder.checkpointCacheSize,
            builder.checkpointCacheBytes,
            builder.lineageMaxAge.toMillis(),
            builder.clock);
    this.projectionLineageStore = builder.projectionLineageStore;
  }

  /** Returns an instance with default settings that emits through {@code openTelemetry}. */
  public static AxonTracefold create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /** Returns a builder that emits through {@code openTelemetry}. */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(openTelemetry);
  }

  /** Returns the core engine this module links with. */
  public Tracefold tracefold() {
    return tracefold;
  }

  /**
   * Returns Tracefold's Axon {@link SpanFactory} (one instance per module), for wiring by hand
   * (e.g. an event store built with {@code EmbeddedEventStore.builder().spanFactory(..)}).
   */
  public SpanFactory spanFactory() {
    return spanFactory;
  }

  /**
   * Returns the {@link RepositorySpanFactory} that makes every rehydration of a traced aggregate
   * link its {@code initializeState} span to all contributing event spans (and marks cache hits on
   * the {@code load} span); the spans themselves come from {@code delegate}, usually Axon's
   * {@code DefaultRepositorySpanFactory} built on {@link #spanFactory()}. Needs the
   * {@link #aggregateMetaModelFactory} too, which shows it the replayed events.
   */
  public RepositorySpanFactory repositorySpanFactory(RepositorySpanFactory delegate) {
    return new RehydrationSpanFactory(Objects.requireNonNull(delegate, "delegate"), tracefold, checkpoints);
  }

  /**
   * Returns an {@link AggregateMetaModelFactory} that builds Axon's annotated models and lets the
   * rehydration span of a {@link TracedAggregate} see every replayed message (including snapshots
   * and events the aggregate has no handler for). Other aggregates get Axon's models unchanged.
   */
  public AggregateMetaModelFactory aggregateMetaModelFactory(
      ParameterResolverFactory parameterResolverFactory, HandlerDefinition handlerDefinition) {
    Objects.requireNonNull(parameterResolverFactory, "parameterResolverFactory");
    Objects.requireNonNull(handlerDefinition, "handlerDefinition");
    return new TracedAggregateMetaModelFactory(() -> parameterResolverFactory, type -> handlerDefinition, tracefold);
  }

  /**
   * Returns the snapshotter {@code builder} describes, whose snapshots of traced aggregates carry
   * their provenance in metadata. A {@code SpringAggregateSnapshotter.Builder} gives a {@code
   * SpringAggregateSnapshotter} (aggregate factories looked up in the application context); any
   * other builder an {@link AggregateSnapshotter}.
   */
  public AggregateSnapshotter snapshotter(AggregateSnapshotter.Builder builder) {
    Objects.requireNonNull(builder, "builder");
    SnapshotProvenance provenance = new SnapshotProvenance(tracefold, checkpoints);
    // Checked by name first: axon-spring is optional, and its classes must not load without it.
    if (AXON_SPRING_PRESENT && SpringTracefoldSnapshotter.accepts(builder)) {
      return SpringTracefoldSnapshotter.create(builder, provenance);
    }
    return new TracefoldSnapshotter(builder, provenance);
  }

  /**
   * Returns the {@link EventProcessorSpanFactory} whose process and batch spans are roots linked
   * to their events (never children of the command's trace), replays marked.
   */
  public EventProcessorSpanFactory eventProcessorSpanFactory() {
    return new ProcessorSpanFactory(tracefold);
  }

  /**
   * Returns the handler enhancer through which each event handled by a {@link TracedProjection}
   * runs in a linked {@code Projection.update} span and updates the read-model entity's lineage in
   * the {@link ProjectionLineageStore}. Handlers of other classes are left as they are.
   */
  public HandlerEnhancerDefinition handlerEnhancerDefinition() {
    return new ProjectionTracing(tracefold, projectionLineageStore);
  }

  /**
   * Returns the event-bus dispatch interceptor that gives an event its publish span and context
   * when the event store was built without Axon's event-bus span factory; events that already
   * carry a context pass untouched. Register it on the {@code EventBus}. Axon runs it when the root
   * unit of work prepares its commit, so an event's context (or its publish span's parent) is the
   * span current then, not necessarily the one that applied the event (see
   * {@link Builder#setEventPublishSpans}).
   */
  public MessageDispatchInterceptor<EventMessage<?>> eventDispatchInterceptor() {
    return new EventContextInterceptor(tracefold.getTracer(), spanFactory, spanFactory.eventPublishSpans());
  }

  /**
   * Registers Tracefold's components on {@code configurer} (see the class comment).
   *
   * <p>Does nothing on Axon's Spring configurer ({@code SpringConfigurer}), which Axon's Spring Boot
   * support applies every {@code ConfigurerModule} bean to: there Tracefold's Spring Boot
   * auto-configuration declares each component as a bean of its own, which a user's bean of the
   * same type replaces, and registering them here as well would override those user beans.
   */
  @Override
  public void configureModule(Configurer configurer) {
    if (isSpringConfigurer(configurer)) {
      return;
    }
    configurer.configureSpanFactory(c -> spanFactory);
    configurer.registerComponent(
        RepositorySpanFactory.class,
        c -> repositorySpanFactory(DefaultRepositorySpanFactory.builder().spanFactory(c.spanFactory()).build()));
    configurer.registerComponent(
        AggregateMetaModelFactory.class,
        c -> new TracedAggregateMetaModelFactory(c::parameterResolverFactory, c::handlerDefinition, tracefold));
    configurer.configureSnapshotter(this::snapshotter);
    configurer.registerComponent(EventProcessorSpanFactory.class, c -> eventProcessorSpanFactory());
    configurer.registerHandlerEnhancerDefinition(c -> handlerEnhancerDefinition());
    configurer.onInitialize(
        config -> config.onStart(
            Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS,
            () -> config.eventBus().registerDispatchInterceptor(eventDispatchInterceptor())));
  }

  private static boolean isSpringConfigurer(Configurer configurer) {
    for (Class<?> type = configurer.getClass(); type != null; type = type.getSuperclass()) {
      if (SPRING_CONFIGURER.equals(type.getName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, AxonTracefold.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Axon's default snapshotter (as {@code DefaultConfigurer} builds it), with snapshot provenance. */
  private Snapshotter snapshotter(Configuration config) {
    List<AggregateFactory<?>> factories = new ArrayList<>();
    Class<?> firstType = null;
    for (AggregateConfiguration<?> aggregate : config.findModules(AggregateConfiguration.class)) {
      factories.add(aggregate.aggregateFactory());
      if (firstType == null) {
        firstType = aggregate.aggregateType();
      }
    }
    if (firstType == null) {
      return (aggregateType, aggregateIdentifier) -> {};
    }
    return snapshotter(
        AggregateSnapshotter.builder()
            .eventStore(config.eventStore())
            .transactionManager(config.getComponent(TransactionManager.class))
            .aggregateFactories(factories)
            .repositoryProvider(config::repository)
            .parameterResolverFactory(config.parameterResolverFactory())
            .spanFactory(config.getComponent(SnapshotterSpanFactory.class))
            .handlerDefinition(config.handlerDefinition(firstType)));
  }

  /** Builder of {@link AxonTracefold}; validates eagerly. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private LinkLimits linkLimits = LinkLimits.getDefault();
    private List<String> baggageAllowlist = List.of();
    private boolean copyMetadataToSpanAttributes;
    private boolean eventPublishSpans = true;
    private int checkpointCacheSize = DEFAULT_CHECKPOINT_CACHE_SIZE;
    private long checkpointCacheBytes = DEFAULT_CHECKPOINT_CACHE_BYTES;
    private Duration lineageMaxAge = DEFAULT_LINEAGE_MAX_AGE;
    private Clock clock = Clock.systemUTC();
    private ProjectionLineageStore projectionLineageStore = new InMemoryProjectionLineageStore();

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /** Sets the default link budget and overflow policy; {@link TracedAggregate} may override them. */
    public Builder setLinkLimits(LinkLimits linkLimits) {
      this.linkLimits = Objects.requireNonNull(linkLimits, "linkLimits");
      return this;
    }

    /**
     * Sets the baggage keys that may be written into event metadata. Event stores are durable, so
     * by default no baggage is persisted at all.
     */
    public Builder setBaggageAllowlist(Collection<String> keys) {
      Objects.requireNonNull(keys, "baggageAllowlist");
      for (String key : keys) {
        Objects.requireNonNull(key, "baggageAllowlist must not contain null");
      }
      this.baggageAllowlist = List.copyOf(keys);
      return this;
    }

    /**
     * Sets whether Axon's metadata attribute provider may copy message metadata into span
     * attributes (off by default: metadata is user data).
     */
    public Builder setCopyMetadataToSpanAttributes(boolean copy) {
      this.copyMetadataToSpanAttributes = copy;
      return this;
    }

    /**
     * Sets whether every published event gets a publish span of its own ({@code
     * EventBus.publishEvent(<Type>)}, a child of the span that applied it), whose context the event
     * then carries: true by default, as Axon's own OpenTelemetry module does.
     *
     * <p>False: an event applied while a span is current (the command handler's, usually) carries
     * that span's context instead, and no publish span is made; one published outside any span
     * still gets its publish span. The write path then makes no span per event (a command applying
     * ten events: two spans instead of twelve). Provenance stays exact, at the grain of the span:
     * a reconstruction links the handler span of each command that contributed (once, with the
     * sequence of its first event) and counts events and contributors (distinct spans) apart.
     *
     * <p>"The span that applied it" is exact when the event store is built with Axon's event-bus
     * span factory ({@code EmbeddedEventStore.builder().spanFactory(config.getComponent(
     * EventBusSpanFactory.class))}; Spring Boot's auto-configuration does). A store built without
     * it (the plain {@code Configurer#configureEmbeddedEventStore}) gets contexts from
     * {@link #eventDispatchInterceptor()}, which Axon runs when the root unit of work prepares its
     * commit: events then carry the span current at that moment, whichever this setting says: the
     * root command's handling span (also for events of nested commands), or, for commands an event
     * processor's handler sends, the processor's batch span.
     */
    public Builder setEventPublishSpans(boolean publishSpans) {
      this.eventPublishSpans = publishSpans;
      return this;
    }

    /**
     * Sets how many aggregates' lineage checkpoints are remembered in memory (0 disables it: every
     * load then re-emits the lineage of its uncovered history).
     *
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public Builder setCheckpointCacheSize(int size) {
      if (size < 0) {
        throw new IllegalArgumentException("checkpointCacheSize must not be negative, was " + size);
      }
      this.checkpointCacheSize = size;
      return this;
    }

    /**
     * Sets the bound of the checkpoint cache's estimated memory (about 480 bytes per aggregate, 480
     * per lineage span it links, 48 per pending contributor); the least recently used aggregates are
     * forgotten beyond it.
     *
     * @throws IllegalArgumentException if {@code bytes < 0}
     */
    public Builder setCheckpointCacheBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("checkpointCacheBytes must not be negative, was " + bytes);
      }
      this.checkpointCacheBytes = bytes;
      return this;
    }

    /**
     * Sets the age after which an aggregate's remembered lineage is forgotten, so that its history
     * is emitted afresh into a trace the backend still keeps; keep it well inside the backend's trace
     * retention. {@link #DEFAULT_LINEAGE_MAX_AGE} by default.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder setLineageMaxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "lineageMaxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("lineageMaxAge must be positive, was " + maxAge);
      }
      this.lineageMaxAge = maxAge;
      return this;
    }

    /** Sets the clock lineage ages are measured with; the system clock by default (for tests). */
    public Builder setClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets where the per-entity lineage of {@link TracedProjection} read models is kept; an
     * {@link InMemoryProjectionLineageStore} by default. Use a persistent store (e.g.
     * {@link JdbcProjectionLineageStore}) for a persistent read model.
     */
    public Builder setProjectionLineageStore(ProjectionLineageStore store) {
      this.projectionLineageStore = Objects.requireNonNull(store, "projectionLineageStore");
      return this;
    }

    /** Returns the module. */
    public AxonTracefold build() {
      return new AxonTracefold(this);
    }
  }
}
