package io.tracefold.axon.provenance;

import io.tracefold.axon.EntityLineage;
import io.tracefold.axon.ProjectionLineageStore;
import io.tracefold.axon.TracedProjection;
import io.tracefold.core.Lineage;
import io.tracefold.core.internal.ParsedTraceparent;
import io.tracefold.core.internal.W3CTraceContext;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.axonframework.config.AggregateConfiguration;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.jspecify.annotations.Nullable;

/**
 * Answers "which commands built this state?" from the event store: every event keeps the
 * {@code traceparent} of the span that published it for as long as the event exists, while the
 * tracing backend keeps the trace for days. The answer lists, per command (trace), the span
 * contexts and sampled flags, sequence numbers, payload types and timestamps of its events, with
 * deep links ({@link TraceLinks}) to the spans that were sampled.
 *
 * <pre>{@code
 * Provenance provenance = Provenance.builder(configuration)          // an Axon Configuration
 *     .setTraceLinks(TraceLinks.jaeger("http://localhost:16686"))
 *     .build();
 * AggregateProvenance order = provenance.aggregate("Order", "o-17");
 * }</pre>
 *
 * <p>Reads are bounded by the limits set here: at most {@code maxEventsScanned} events per
 * question (a longer stream is answered in pages: {@link AggregateProvenance#nextSequence()}), at
 * most {@code maxCommands} commands and {@code maxEventsPerCommand} events per command listed (the
 * rest counted). The stream is iterated as the event store delivers it (in batches for the JDBC
 * and JPA engines), never held whole in memory. Snapshots are bypassed: events are read from
 * sequence 0 (or the sequence asked for); a store that nevertheless starts later is said so in
 * {@link AggregateProvenance#notes()}. Metadata that cannot be read or parsed is counted, never
 * thrown. Thread-safe.
 */
public final class Provenance {

  /** The longest aggregate type or entity type accepted. */
  static final int MAX_TYPE_LENGTH = 256;

  /** The longest id accepted. */
  static final int MAX_ID_LENGTH = 1024;

  /** The longest text (event id, payload type) copied into an answer. */
  static final int MAX_TEXT_LENGTH = 256;

  private final Supplier<EventStore> eventStore;
  private final @Nullable Supplier<? extends Collection<String>> aggregateTypes;
  private final TraceLinks links;
  private final int maxEventsScanned;
  private final int maxCommands;
  private final int maxEventsPerCommand;
  private final @Nullable ProjectionLineageStore lineageStore;
  private final Map<String, List<String>> projections;
  private volatile @Nullable Set<String> knownTypes;

  private Provenance(Builder builder) {
    this.eventStore = builder.eventStore;
    this.aggregateTypes = builder.aggregateTypes;
    this.links = builder.links;
    this.maxEventsScanned = builder.maxEventsScanned;
    this.maxCommands = builder.maxCommands;
    this.maxEventsPerCommand = builder.maxEventsPerCommand;
    this.lineageStore = builder.lineageStore;
    Map<String, List<String>> byType = new LinkedHashMap<>();
    builder.projections.forEach((type, classes) -> byType.put(type, List.copyOf(classes)));
    this.projections = Collections.unmodifiableMap(byType);
  }

  /**
   * Returns a builder reading from {@code configuration}'s event store, knowing its aggregates'
   * types (both looked up at the first question, so the configuration may still be starting).
   */
  public static Builder builder(Configuration configuration) {
    Objects.requireNonNull(configuration, "configuration");
    return new Builder(configuration::eventStore).setAggregateTypes(() -> aggregateTypesOf(configuration));
  }

  /**
   * Returns a builder reading from {@code eventStore}; any aggregate type is accepted unless
   * {@link Builder#setAggregateTypes} restricts them.
   */
  public static Builder builder(EventStore eventStore) {
    Objects.requireNonNull(eventStore, "eventStore");
    return new Builder(() -> eventStore);
  }

  /** Returns the deep links this instance makes. */
  public TraceLinks traceLinks() {
    return links;
  }

  /** Returns the most events one question reads. */
  public int maxEventsScanned() {
    return maxEventsScanned;
  }

  /** Returns the known aggregate types, or an empty set when any type is accepted. */
  public Set<String> aggregateTypes() {
    Set<String> types = knownTypes;
    if (types == null) {
      Supplier<? extends Collection<String>> supplier = aggregateTypes;
      types = supplier == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(supplier.get()));
      knownTypes = types;
    }
    return types;
  }

  /** Returns the entity types of the traced projections this instance answers for. */
  public Set<String> entityTypes() {
    return projections.keySet();
  }

  /**
   * Returns what the lineage store holds about read-model entity {@code id} of {@code entityType}
   * (a {@code @TracedProjection} added with {@link Builder#addProjection}).
   *
   * @throws ProvenanceException with {@code INVALID_INPUT} for an empty or too long type or id;
   *     {@code UNKNOWN_TYPE} for an entity type of no added projection; {@code UNKNOWN_ID} when no
   *     lineage is stored for the entity; {@code STORE_FAILED} when the store could not be read
   */
  public EntityProvenance entity(String entityType, String id) {
    checkText("entity type", entityType, MAX_TYPE_LENGTH);
    checkText("entity id", id, MAX_ID_LENGTH);
    List<String> classes = projections.get(entityType);
    ProjectionLineageStore store = lineageStore;
    if (classes == null || store == null) {
      throw new ProvenanceException(ProvenanceException.Reason.UNKNOWN_TYPE,
          "unknown entity type '" + cut(entityType) + "'; known: " + String.join(", ", projections.keySet()));
    }
    for (String projection : classes) {
      EntityLineage stored;
      try {
        stored = store.load(projection, id);
      } catch (RuntimeException | LinkageError e) {
        throw new ProvenanceException(ProvenanceException.Reason.STORE_FAILED,
            "the lineage store could not be read for " + cut(entityType) + " '" + cut(id) + "': " + e, e);
      }
      if (stored != null) {
        return entity(entityType, id, projection, stored);
      }
    }
    throw new ProvenanceException(ProvenanceException.Reason.UNKNOWN_ID,
        "no lineage stored for " + cut(entityType) + " '" + cut(id) + "'");
  }

  private EntityProvenance entity(String entityType, String id, String projection, EntityLineage stored) {
    Lineage lineage = stored.lineage();
    Instant emitted = lineage.emittedAtMillis() > 0 ? Instant.ofEpochMilli(lineage.emittedAtMillis()) : null;
    List<SpanReference> spans = new ArrayList<>();
    for (SpanContext peak : lineage.peakContexts()) {
      spans.add(reference("lineage", peak, emitted));
    }
    List<SpanContext> pending = lineage.pendingContexts();
    // The newest contributors when there are more than the bound (the counts stay complete).
    for (int i = Math.max(0, pending.size() - maxEventsPerCommand); i < pending.size(); i++) {
      spans.add(reference("event", pending.get(i), null));
    }
    List<String> notes = new ArrayList<>();
    notes.add("a read model does not keep which events built it: the lineage store holds counts, anchors and the"
        + " span contexts of " + lineage.peakCount() + " lineage spans and " + lineage.pendingCount()
        + " recent contributors (listed under spans, linked into the trace UI when sampled), not the list of"
        + " commands; older commands are reached by following the lineage spans' links in the trace UI, while"
        + " the backend keeps those traces");
    if (lineage.emittedAtMillis() > 0) {
      notes.add("the oldest lineage span was emitted at " + Instant.ofEpochMilli(lineage.emittedAtMillis())
          + ": links into traces older than the backend's retention lead nowhere");
    }
    if (lineage.corrupt() > 0) {
      notes.add(lineage.corrupt() + " stored entries were corrupt: the contributors under them are no longer reachable");
    }
    if (lineage.dropped() > 0) {
      notes.add(lineage.dropped() + " contributors were dropped beyond the pending bound (no sampled update emitted a"
          + " lineage span over them)");
    }
    notes.add("when the entity is keyed by its aggregate's id, ask for the aggregate: its events say exactly which"
        + " commands built it, for as long as the events exist");
    if (pending.size() > maxEventsPerCommand) {
      notes.add("only the newest " + maxEventsPerCommand + " of " + pending.size() + " recent contributors are listed");
    }
    return new EntityProvenance(entityType, id, projection, stored.version(), lineage.coveredSequence(),
        lineage.contributors(), lineage.missing(), lineage.invalid(), lineage.unsampled(), lineage.corrupt(),
        lineage.dropped(), lineage.peakCount(), lineage.pendingCount(), emitted,
        lineage.firstEventId(), lineage.lastEventId(), spans, notes);
  }

  private SpanReference reference(String kind, SpanContext context, @Nullable Instant at) {
    String traceId = context.getTraceId();
    String spanId = context.getSpanId();
    boolean sampled = context.isSampled();
    return new SpanReference(kind, traceId, spanId, sampled, links.url(traceId, spanId, sampled, at, at));
  }

  /** Returns the commands that built aggregate {@code id} of {@code type}: its whole stream, from sequence 0. */
  public AggregateProvenance aggregate(String type, String id) {
    return aggregate(type, id, 0);
  }

  /**
   * Returns the commands behind aggregate {@code id}'s events from {@code fromSequence} on (for the
   * next page of a stream longer than the limit).
   *
   * @throws ProvenanceException with {@link ProvenanceException.Reason#INVALID_INPUT} for an empty
   *     or too long type or id, or a negative sequence; {@code UNKNOWN_TYPE} for a type that is not
   *     a known aggregate type; {@code UNKNOWN_ID} when the aggregate has no events;
   *     {@code WRONG_TYPE} when its events are of another aggregate type; {@code STORE_FAILED}
   *     when the event store could not be read
   */
  public AggregateProvenance aggregate(String type, String id, long fromSequence) {
    checkText("aggregate type", type, MAX_TYPE_LENGTH);
    checkText("aggregate id", id, MAX_ID_LENGTH);
    if (fromSequence < 0) {
      throw new ProvenanceException(ProvenanceException.Reason.INVALID_INPUT,
          "from sequence: must be 0 or more, was " + fromSequence);
    }
    Set<String> types;
    try {
      types = aggregateTypes();
    } catch (RuntimeException | LinkageError e) {
      throw new ProvenanceException(ProvenanceException.Reason.STORE_FAILED,
          "the application's aggregate types could not be listed: " + e, e);
    }
    if (!types.isEmpty() && !types.contains(type)) {
      throw new ProvenanceException(ProvenanceException.Reason.UNKNOWN_TYPE,
          "unknown aggregate type '" + cut(type) + "'; known: " + String.join(", ", types));
    }
    return new Scan(type, id, fromSequence).run();
  }

  /** Reads one question's events; not thread-safe, one per question. */
  private final class Scan {
    final String type;
    final String id;
    final long from;
    final ParsedTraceparent parsed = new ParsedTraceparent();
    final Map<String, CommandBuilder> commands = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    long scanned;
    long first = -1;
    long last = -1;
    long missing;
    long invalid;
    long commandsNotListed;
    long eventsNotListed;
    @Nullable String lastOmittedTrace;

    Scan(String type, String id, long from) {
      this.type = type;
      this.id = id;
      this.from = from;
    }

    AggregateProvenance run() {
      DomainEventStream stream;
      try {
        stream = eventStore.get().readEvents(id, from);
      } catch (RuntimeException | LinkageError e) {
        throw storeFailed(e);
      }
      Long next = null;
      boolean checkedType = false;
      while (true) {
        DomainEventMessage<?> event;
        try {
          if (!stream.hasNext()) {
            break;
          }
          if (scanned == maxEventsScanned) {
            next = last + 1;
            break;
          }
          event = stream.next();
        } catch (RuntimeException | LinkageError e) {
          throw storeFailed(e);
        }
        if (!checkedType) {
          checkedType = true;
          checkType(event);
          if (isSnapshot(event)) {
            notes.add("the event store returned a snapshot at sequence " + event.getSequenceNumber()
                + " instead of the events it summarises: the commands behind those events are not in this answer");
            continue;
          }
        }
        if (event.getSequenceNumber() < from) {
          continue;
        }
        add(event);
      }
      if (scanned == 0 && from == 0 && !checkedType) {
        throw new ProvenanceException(ProvenanceException.Reason.UNKNOWN_ID,
            "no events for " + cut(type) + " '" + cut(id) + "'");
      }
      if (scanned == 0) {
        notes.add("no events from sequence " + from + " on");
      } else if (first > from) {
        notes.add("the stream read starts at sequence " + first + ", not " + from
            + ": the event store holds no events before it (removed, or never written)");
      }
      if (next != null) {
        notes.add("stopped after " + scanned + " events (the limit): ask again from sequence " + next
            + " for the rest");
      }
      if (commandsNotListed > 0) {
        notes.add(eventsNotListed + " events of about " + commandsNotListed
            + " more commands are counted, not listed (limit " + maxCommands + " commands)");
      }
      List<CommandProvenance> list = new ArrayList<>(commands.size());
      for (CommandBuilder command : commands.values()) {
        list.add(command.build());
      }
      return new AggregateProvenance(type, id, from, first, last, scanned, list, commandsNotListed, eventsNotListed,
          missing, invalid, next, notes);
    }

    private void checkType(DomainEventMessage<?> event) {
      String actual;
      try {
        actual = event.getType();
      } catch (RuntimeException | LinkageError e) {
        actual = null;
      }
      if (actual != null && !actual.equals(type)) {
        throw new ProvenanceException(ProvenanceException.Reason.WRONG_TYPE,
            "'" + cut(id) + "' is the id of a " + cut(actual) + ", not of a " + cut(type));
      }
    }

    /** A snapshot handed out as the first message of a stream asked from an earlier sequence. */
    private boolean isSnapshot(DomainEventMessage<?> event) {
      if (event.getSequenceNumber() <= from) {
        return false;
      }
      try {
        return type.equals(event.getPayloadType().getSimpleName()) || type.equals(event.getPayloadType().getName());
      } catch (RuntimeException | LinkageError e) {
        return false;
      }
    }

    private void add(DomainEventMessage<?> event) {
      scanned++;
      long sequence = event.getSequenceNumber();
      if (first < 0) {
        first = sequence;
      }
      last = sequence;
      Object traceparent;
      try {
        MetaData metaData = event.getMetaData();
        traceparent = metaData.get(W3CTraceContext.TRACEPARENT);
      } catch (RuntimeException | LinkageError e) {
        invalid++;
        return;
      }
      if (traceparent == null) {
        missing++;
        return;
      }
      if (!(traceparent instanceof CharSequence)
          || !W3CTraceContext.parseTraceparent((CharSequence) traceparent, parsed)) {
        invalid++;
        return;
      }
      SpanContext context = parsed.toSpanContext(null);
      String traceId = context.getTraceId();
      CommandBuilder command = commands.get(traceId);
      if (command == null) {
        if (commands.size() >= maxCommands) {
          eventsNotListed++;
          if (!traceId.equals(lastOmittedTrace)) {
            commandsNotListed++;
            lastOmittedTrace = traceId;
          }
          return;
        }
        command = new CommandBuilder(traceId);
        commands.put(traceId, command);
      }
      command.add(event, sequence, context);
    }

    private ProvenanceException storeFailed(Throwable e) {
      return new ProvenanceException(ProvenanceException.Reason.STORE_FAILED,
          "the event store could not be read for " + cut(type) + " '" + cut(id) + "': " + e, e);
    }
  }

  /** One command's events as they are read. */
  private final class CommandBuilder {
    final String traceId;
    final List<EventProvenance> events = new ArrayList<>();
    long firstSequence = Long.MAX_VALUE;
    long lastSequence = Long.MIN_VALUE;
    long count;
    @Nullable Instant firstTimestamp;
    @Nullable Instant lastTimestamp;
    @Nullable String firstSampledSpan;

    CommandBuilder(String traceId) {
      this.traceId = traceId;
    }

    void add(DomainEventMessage<?> event, long sequence, SpanContext context) {
      count++;
      firstSequence = Math.min(firstSequence, sequence);
      lastSequence = Math.max(lastSequence, sequence);
      Instant timestamp = timestamp(event);
      if (timestamp != null) {
        firstTimestamp = firstTimestamp == null || timestamp.isBefore(firstTimestamp) ? timestamp : firstTimestamp;
        lastTimestamp = lastTimestamp == null || timestamp.isAfter(lastTimestamp) ? timestamp : lastTimestamp;
      }
      boolean sampled = context.isSampled();
      if (sampled && firstSampledSpan == null) {
        firstSampledSpan = context.getSpanId();
      }
      if (events.size() < maxEventsPerCommand) {
        events.add(new EventProvenance(sequence, eventId(event), payloadType(event), timestamp, traceId,
            context.getSpanId(), sampled, links.url(traceId, context.getSpanId(), sampled, timestamp, timestamp)));
      }
    }

    CommandProvenance build() {
      boolean sampled = firstSampledSpan != null;
      String url = links.url(traceId, firstSampledSpan, sampled, firstTimestamp, lastTimestamp);
      return new CommandProvenance(traceId, sampled, url, firstSequence, lastSequence, count, firstTimestamp,
          lastTimestamp, events);
    }
  }

  private static @Nullable Instant timestamp(DomainEventMessage<?> event) {
    try {
      return event.getTimestamp();
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static @Nullable String eventId(DomainEventMessage<?> event) {
    try {
      return cutOrNull(event.getIdentifier());
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static @Nullable String payloadType(DomainEventMessage<?> event) {
    try {
      return cutOrNull(event.getPayloadType().getName());
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static List<String> aggregateTypesOf(Configuration configuration) {
    List<String> types = new ArrayList<>();
    for (AggregateConfiguration<?> aggregate : configuration.findModules(AggregateConfiguration.class)) {
      Class<?> aggregateType = aggregate.aggregateType();
      String name;
      try {
        name = AnnotatedAggregateMetaModelFactory.inspectAggregate(aggregateType).type();
      } catch (RuntimeException | LinkageError e) {
        name = aggregateType.getSimpleName();
      }
      types.add(name);
    }
    return types;
  }

  static void checkText(String what, @Nullable String value, int maxLength) {
    if (value == null || value.isEmpty()) {
      throw new ProvenanceException(ProvenanceException.Reason.INVALID_INPUT, what + ": must not be empty");
    }
    if (value.length() > maxLength) {
      throw new ProvenanceException(ProvenanceException.Reason.INVALID_INPUT,
          what + ": longer than " + maxLength + " characters");
    }
  }

  static String cut(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }

  private static @Nullable String cutOrNull(@Nullable String text) {
    return text == null || text.length() <= MAX_TEXT_LENGTH ? text : text.substring(0, MAX_TEXT_LENGTH);
  }

  /** Builds a {@link Provenance}; settings are checked when set. */
  public static final class Builder {

    private final Supplier<EventStore> eventStore;
    private @Nullable Supplier<? extends Collection<String>> aggregateTypes;
    private TraceLinks links = TraceLinks.none();
    private int maxEventsScanned = 10_000;
    private int maxCommands = 1_000;
    private int maxEventsPerCommand = 100;
    private @Nullable ProjectionLineageStore lineageStore;
    private final Map<String, Set<String>> projections = new LinkedHashMap<>();

    private Builder(Supplier<EventStore> eventStore) {
      this.eventStore = eventStore;
    }

    /** Sets the deep links into the trace UI (default {@link TraceLinks#none()}). */
    public Builder setTraceLinks(TraceLinks links) {
      this.links = Objects.requireNonNull(links, "traceLinks");
      return this;
    }

    /**
     * Sets the aggregate types questions may name, asked once at the first question (default:
     * those of the {@link Configuration} given to {@link #builder(Configuration)}, or any type).
     */
    public Builder setAggregateTypes(Supplier<? extends Collection<String>> types) {
      this.aggregateTypes = Objects.requireNonNull(types, "aggregateTypes");
      return this;
    }

    /** Sets the most events one question reads (default 10,000; 1 to 10,000,000). */
    public Builder setMaxEventsScanned(int max) {
      this.maxEventsScanned = check("maxEventsScanned", max, 10_000_000);
      return this;
    }

    /** Sets the most commands listed per answer (default 1,000; 1 to 1,000,000); the rest are counted. */
    public Builder setMaxCommands(int max) {
      this.maxCommands = check("maxCommands", max, 1_000_000);
      return this;
    }

    /** Sets the most events listed per command (default 100; 0 to 1,000,000); the rest are counted. */
    public Builder setMaxEventsPerCommand(int max) {
      if (max < 0 || max > 1_000_000) {
        throw new IllegalArgumentException("maxEventsPerCommand: must be 0 to 1000000, was " + max);
      }
      this.maxEventsPerCommand = max;
      return this;
    }

    private static int check(String name, int value, int max) {
      if (value < 1 || value > max) {
        throw new IllegalArgumentException(name + ": must be 1 to " + max + ", was " + value);
      }
      return value;
    }

    /**
     * Sets the store of the traced projections' entity lineage (the one given to
     * {@code AxonTracefold.Builder.setProjectionLineageStore}).
     */
    public Builder setProjectionLineageStore(ProjectionLineageStore store) {
      this.lineageStore = Objects.requireNonNull(store, "projectionLineageStore");
      return this;
    }

    /**
     * Adds a {@link TracedProjection} class: its entities can then be asked for by its entity type.
     *
     * @throws IllegalArgumentException if the class is not annotated {@code @TracedProjection}
     */
    public Builder addProjection(Class<?> projectionClass) {
      Objects.requireNonNull(projectionClass, "projectionClass");
      TracedProjection annotation = projectionClass.getAnnotation(TracedProjection.class);
      if (annotation == null) {
        throw new IllegalArgumentException(projectionClass.getName() + " is not annotated @TracedProjection");
      }
      String type = annotation.entityType().isEmpty() ? projectionClass.getSimpleName() : annotation.entityType();
      projections.computeIfAbsent(type, t -> new LinkedHashSet<>()).add(projectionClass.getName());
      return this;
    }

    /** Returns the provenance reader. */
    public Provenance build() {
      return new Provenance(this);
    }
  }
}
