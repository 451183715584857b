package io.tracefold.axon;

import io.tracefold.core.internal.ParsedTraceparent;
import io.tracefold.core.internal.W3CTraceContext;
import io.tracefold.core.testing.ProvenanceGraph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

/** What a storage engine holds for an aggregate, read back for assertions (test support). */
public final class StoredEvents {

  private StoredEvents() {}

  /** Returns the stored events of an aggregate (all of them, whatever snapshots exist). */
  public static List<DomainEventMessage<?>> of(EventStorageEngine engine, String aggregateId) {
    List<DomainEventMessage<?>> events = new ArrayList<>();
    DomainEventStream stream = engine.readEvents(aggregateId, 0);
    while (stream.hasNext()) {
      events.add(stream.next());
    }
    return events;
  }

  /** Returns the graph keys of the spans named by the stored events' {@code traceparent}s. */
  public static Set<String> spanKeys(EventStorageEngine engine, String aggregateId) {
    return spanKeys(of(engine, aggregateId));
  }

  /** Returns the graph keys of the spans named by these events' {@code traceparent}s. */
  public static Set<String> spanKeys(List<DomainEventMessage<?>> events) {
    Set<String> keys = new LinkedHashSet<>();
    for (DomainEventMessage<?> event : events) {
      Object traceparent = event.getMetaData().get(W3CTraceContext.TRACEPARENT);
      ParsedTraceparent parsed = new ParsedTraceparent();
      if (traceparent instanceof CharSequence && W3CTraceContext.parseTraceparent((CharSequence) traceparent, parsed)) {
        keys.add(ProvenanceGraph.key(parsed.toSpanContext(null)));
      }
    }
    return keys;
  }
}
