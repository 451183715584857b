package io.tracefold.examples;

import static io.tracefold.core.TracefoldAttributes.CONTEXTS_INVALID;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_MISSING;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_UNSAMPLED;
import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.ENTITY_TYPE;
import static io.tracefold.core.TracefoldAttributes.EVENTS;
import static io.tracefold.core.TracefoldAttributes.EVENT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.EVENT_TYPE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_CHECKPOINT;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_FIRST_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_LAST_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_LEVEL;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPAN_NAME;
import static io.tracefold.core.TracefoldAttributes.LINKS_DIRECT;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND_EVENT;
import static io.tracefold.core.TracefoldAttributes.SNAPSHOT_SEQUENCE;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The provenance of one reconstruction span (a rehydration, a snapshot or a projection update),
 * recovered from exported spans the way a person clicks through span links in a tracing backend:
 * from the root, through Tracefold's own lineage, snapshot and reconstruction spans, to the spans
 * of the events that built the state, and from each event to the command whose trace it is in.
 *
 * <p>A link is followed further when its {@code tracefold.link.kind} names a Tracefold span
 * (anything but {@code event}); a target that was not exported is reported as dangling. Every other
 * link target is an event span, a contributor.
 */
public final class ProvenanceTree {

  /** What a node of the tree is. */
  public enum Kind {
    /** An aggregate rehydration ({@code Repository.initializeState}). */
    REHYDRATION("rehydration"),
    /** A read-model update ({@code Projection.update}). */
    PROJECTION("projection"),
    /** The span that took a snapshot. */
    SNAPSHOT("snapshot"),
    /** A node of the lineage forest. */
    LINEAGE("lineage"),
    /** Any other Tracefold span reached through a link (e.g. an earlier reconstruction). */
    RECONSTRUCTION("reconstruction"),
    /** The span of an event (its publish span): a contributor. */
    EVENT("event"),
    /** The trace of the command that produced events. */
    COMMAND("command");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** Returns the lower-case label, as used in the HTML's {@code data-kind}. */
    public String label() {
      return label;
    }
  }

  /**
   * A Tracefold span of the tree: the root or a span reached through a non-event link.
   *
   * @param key the span's key ({@link #key(SpanContext)})
   * @param kind what the span is
   * @param span the exported span
   * @param links the span's links, in order
   * @param hops links from the root to this node
   * @param sequence the event sequence number the first link to this node carried, or null
   */
  public record Node(String key, Kind kind, SpanData span, List<Edge> links, int hops, @Nullable Long sequence) {

    /** Returns a short human label: kind, name and the range it covers. */
    public String label() {
      Attributes a = span.getAttributes();
      switch (kind) {
        case LINEAGE:
          return "lineage L" + orZero(a.get(LINEAGE_LEVEL))
              + "  events " + range(a.get(LINEAGE_FIRST_SEQUENCE), a.get(LINEAGE_LAST_SEQUENCE))
              + " · " + orZero(a.get(LINEAGE_CONTRIBUTORS)) + " contributors"
              + (Boolean.TRUE.equals(a.get(LINEAGE_CHECKPOINT)) ? " · checkpoint" : "");
        case SNAPSHOT:
          return "snapshot  " + span.getName()
              + (sequence == null ? "" : "  events up to #" + sequence)
              + " · " + orZero(a.get(CONTRIBUTORS)) + " contributors";
        default:
          return kind.label() + "  " + span.getName();
      }
    }
  }

  /**
   * A link of a node.
   *
   * @param target the key of the linked span
   * @param kind the link's {@code tracefold.link.kind} ({@code event} when absent)
   * @param attributes the link's attributes
   */
  public record Edge(String target, String kind, Attributes attributes) {

    /** Returns whether the link points at an event span. */
    public boolean isEvent() {
      return LINK_KIND_EVENT.equals(kind);
    }
  }

  /**
   * An event span reached from the root.
   *
   * @param key the span's key
   * @param context the span context the link carried
   * @param sequence the event's sequence number, from the link ({@code -1} if absent)
   * @param type the event's payload type, from the link
   * @param command the name of the command whose trace holds the event span ({@code ?} if unknown)
   * @param hops links from the root
   */
  public record EventRef(String key, SpanContext context, long sequence, String type, String command, int hops) {

    /** Returns the trace id of the event span: the command's trace. */
    public String traceId() {
      return context.getTraceId();
    }
  }

  /**
   * A command trace that produced events reached from the root.
   *
   * @param traceId the trace
   * @param name the command's payload type
   * @param firstSequence the lowest sequence number among its events
   * @param lastSequence the highest
   * @param events how many of its event spans were reached
   */
  public record CommandRef(String traceId, String name, long firstSequence, long lastSequence, int events) {

    /** Returns the sequence range, e.g. {@code #3} or {@code #3–#5}. */
    public String range() {
      return ProvenanceTree.range(firstSequence, lastSequence);
    }
  }

  private final Node root;
  private final Map<String, Node> nodes;
  private final Map<String, EventRef> events;
  private final List<CommandRef> commands;
  private final Set<String> dangling;
  private final Map<String, String> commandByTrace;

  private ProvenanceTree(
      Node root,
      Map<String, Node> nodes,
      Map<String, EventRef> events,
      List<CommandRef> commands,
      Set<String> dangling,
      Map<String, String> commandByTrace) {
    this.root = root;
    this.nodes = nodes;
    this.events = events;
    this.commands = commands;
    this.dangling = dangling;
    this.commandByTrace = commandByTrace;
  }

  /** Returns the name of the command whose trace this is, or null (e.g. a load's trace). */
  public @Nullable String commandOf(String traceId) {
    return commandByTrace.get(traceId);
  }

  /** Returns the key of a span context: trace id and span id. */
  public static String key(SpanContext context) {
    return context.getTraceId() + '/' + context.getSpanId();
  }

  /** Walks the links of {@code root} over the exported {@code spans}. */
  public static ProvenanceTree of(Collection<SpanData> spans, SpanData root) {
    Map<String, SpanData> byKey = new HashMap<>();
    Map<String, String> commandByTrace = new HashMap<>();
    for (SpanData span : spans) {
      byKey.put(key(span.getSpanContext()), span);
      String command = commandName(span.getName());
      if (command != null) {
        commandByTrace.putIfAbsent(span.getTraceId(), command);
      }
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    Map<String, EventRef> events = new LinkedHashMap<>();
    Set<String> dangling = new LinkedHashSet<>();
    Deque<Node> queue = new ArrayDeque<>();
    Node rootNode = node(root, kindOf(root), 0, null);
    nodes.put(rootNode.key(), rootNode);
    queue.add(rootNode);
    while (!queue.isEmpty()) {
      Node node = queue.removeFirst();
      for (LinkData link : node.span().getLinks()) {
        String target = key(link.getSpanContext());
        String kind = link.getAttributes().get(LINK_KIND);
        Edge edge = new Edge(target, kind == null ? LINK_KIND_EVENT : kind, link.getAttributes());
        node.links().add(edge);
        if (edge.isEvent()) {
          if (!events.containsKey(target)) {
            Long sequence = link.getAttributes().get(EVENT_SEQUENCE);
            String type = link.getAttributes().get(EVENT_TYPE);
            events.put(
                target,
                new EventRef(
                    target,
                    link.getSpanContext(),
                    sequence == null ? -1 : sequence,
                    type == null ? "?" : type,
                    commandByTrace.getOrDefault(link.getSpanContext().getTraceId(), "?"),
                    node.hops() + 1));
          }
        } else if (!nodes.containsKey(target)) {
          SpanData span = byKey.get(target);
          if (span == null) {
            dangling.add(target);
          } else {
            Node next = node(span, kindOf(span), node.hops() + 1, link.getAttributes().get(EVENT_SEQUENCE));
            nodes.put(target, next);
            queue.add(next);
          }
        }
      }
    }
    return new ProvenanceTree(rootNode, nodes, events, commands(events.values()), dangling, commandByTrace);
  }

  private static Node node(SpanData span, Kind kind, int hops, @Nullable Long sequence) {
    return new Node(key(span.getSpanContext()), kind, span, new ArrayList<>(), hops, sequence);
  }

  private static Kind kindOf(SpanData span) {
    String name = span.getName();
    if (name.startsWith("Repository.initializeState")) {
      return Kind.REHYDRATION;
    } else if (name.startsWith("Projection.update")) {
      return Kind.PROJECTION;
    } else if (name.startsWith("Snapshotter.createSnapshot")) {
      return Kind.SNAPSHOT;
    } else if (name.equals(LINEAGE_SPAN_NAME)) {
      return Kind.LINEAGE;
    }
    return Kind.RECONSTRUCTION;
  }

  /** Returns the command payload type from Axon's handle/dispatch span name, or null. */
  static @Nullable String commandName(String spanName) {
    if (!spanName.startsWith("CommandBus.handleCommand(") || !spanName.endsWith(")")) {
      return null;
    }
    return spanName.substring("CommandBus.handleCommand(".length(), spanName.length() - 1);
  }

  private static List<CommandRef> commands(Collection<EventRef> events) {
    Map<String, long[]> ranges = new LinkedHashMap<>();
    Map<String, String> names = new HashMap<>();
    for (EventRef event : events) {
      long[] range = ranges.computeIfAbsent(event.traceId(), t -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
      range[0] = Math.min(range[0], event.sequence());
      range[1] = Math.max(range[1], event.sequence());
      range[2]++;
      names.put(event.traceId(), event.command());
    }
    List<CommandRef> commands = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : ranges.entrySet()) {
      long[] r = entry.getValue();
      commands.add(new CommandRef(entry.getKey(), names.get(entry.getKey()), r[0], r[1], (int) r[2]));
    }
    commands.sort(Comparator.comparingLong(CommandRef::firstSequence).thenComparing(CommandRef::traceId));
    return Collections.unmodifiableList(commands);
  }

  /** Returns the root node. */
  public Node root() {
    return root;
  }

  /** Returns every Tracefold node reached, the root first, in walk order. */
  public Collection<Node> nodes() {
    return Collections.unmodifiableCollection(nodes.values());
  }

  /** Returns the node with this key, or null. */
  public @Nullable Node node(String key) {
    return nodes.get(key);
  }

  /** Returns every event span reached, by key, in walk order. */
  public Map<String, EventRef> events() {
    return Collections.unmodifiableMap(events);
  }

  /** Returns the keys of every event span reached: the contributors. */
  public Set<String> contributors() {
    return Collections.unmodifiableSet(events.keySet());
  }

  /** Returns the command traces behind the contributors, by first sequence number. */
  public List<CommandRef> commands() {
    return commands;
  }

  /** Returns the keys of Tracefold link targets that were never exported (should be none). */
  public Set<String> dangling() {
    return Collections.unmodifiableSet(dangling);
  }

  /** Returns the most link hops from the root to any contributor. */
  public int maxHops() {
    int max = 0;
    for (EventRef event : events.values()) {
      max = Math.max(max, event.hops());
    }
    return max;
  }

  /** Returns the root's entity type attribute, or {@code ?}. */
  public String entityType() {
    String type = root.span().getAttributes().get(ENTITY_TYPE);
    return type == null ? "?" : type;
  }

  /** Returns the root's entity id attribute, or {@code ?}. */
  public String entityId() {
    String id = root.span().getAttributes().get(ENTITY_ID);
    return id == null ? "?" : id;
  }

  /** Returns a long attribute of the root, 0 when absent. */
  public long count(AttributeKey<Long> key) {
    return orZero(root.span().getAttributes().get(key));
  }

  /** Returns command names with how many command traces of each, most frequent first. */
  public Map<String, Integer> commandCounts() {
    return countByName(commands);
  }

  // --- text ----------------------------------------------------------------------------------

  /**
   * Prints the tree: a header with the counts, every Tracefold span, and per node the command
   * traces of the events it links ({@code maxRows} rows per node, then a summary; 0 for all).
   */
  public void print(PrintStream out, int maxRows) {
    Attributes a = root.span().getAttributes();
    out.println(entityType() + " " + entityId() + " — which commands built this state?");
    out.println("  span      " + root.span().getName() + "  trace " + root.span().getTraceId()
        + "  span " + root.span().getSpanId());
    StringBuilder counts = new StringBuilder("  counts    events " + count(EVENTS)
        + " · contributors " + count(CONTRIBUTORS)
        + " · linked " + (a.get(LINKS_DIRECT) == null ? root.span().getLinks().size() : count(LINKS_DIRECT))
        + " · lineage spans " + count(LINEAGE_SPANS)
        + " · invalid " + count(CONTEXTS_INVALID)
        + " · missing " + count(CONTEXTS_MISSING));
    if (count(CONTEXTS_UNSAMPLED) > 0) {
      counts.append(" · unsampled ").append(count(CONTEXTS_UNSAMPLED));
    }
    if (a.get(SNAPSHOT_SEQUENCE) != null) {
      counts.append(" · from snapshot #").append(a.get(SNAPSHOT_SEQUENCE));
    }
    out.println(counts);
    boolean complete = events.size() == count(CONTRIBUTORS) && dangling.isEmpty();
    int through = nodes.size() - 1;
    out.println("  walk      " + events.size() + " event spans reachable through " + through
        + (through == 1 ? " Tracefold span" : " Tracefold spans")
        + ", at most " + maxHops() + (maxHops() == 1 ? " hop" : " hops")
        + (complete ? " = contributors ✓" : " ≠ contributors " + count(CONTRIBUTORS) + " ✗")
        + (dangling.isEmpty() ? "" : " · " + dangling.size() + " dangling"));
    out.println("  commands  " + commands.size() + " command traces: " + breakdown(commandCounts(), 6));
    out.println();
    out.println(root.span().getName() + "  [" + root.kind().label() + "]");
    printChildren(out, root, "", new HashSet<>(Set.of(root.key())), maxRows);
  }

  /** One line under a node: text, and the Tracefold span to expand below it (if any). */
  private record Row(String text, @Nullable Node child) {}

  private void printChildren(PrintStream out, Node node, String indent, Set<String> printed, int maxRows) {
    List<Object> items = new ArrayList<>();
    Map<String, List<EventRef>> byTrace = new LinkedHashMap<>();
    for (Edge edge : node.links()) {
      if (!edge.isEvent()) {
        items.add(edge);
        continue;
      }
      EventRef event = events.get(edge.target());
      if (event == null) {
        continue;
      }
      List<EventRef> group = byTrace.get(event.traceId());
      if (group == null) {
        group = new ArrayList<>();
        byTrace.put(event.traceId(), group);
        items.add(group);
      }
      group.add(event);
    }
    List<Row> rows = new ArrayList<>();
    int eventRows = 0;
    int hiddenEvents = 0;
    List<CommandRef> hidden = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof Edge edge) {
        Node child = nodes.get(edge.target());
        rows.add(child == null
            ? new Row(edge.kind() + "  " + edge.target() + "  (not exported: dangling)", null)
            : new Row(child.label(), child));
        continue;
      }
      @SuppressWarnings("unchecked")
      List<EventRef> group = (List<EventRef>) item;
      if (maxRows > 0 && eventRows >= maxRows) {
        hiddenEvents += group.size();
        EventRef first = group.get(0);
        hidden.add(new CommandRef(first.traceId(), first.command(), 0, 0, group.size()));
      } else {
        eventRows++;
        rows.add(new Row(eventRow(group), null));
      }
    }
    if (hiddenEvents > 0) {
      rows.add(new Row("… " + hiddenEvents + " more event" + (hiddenEvents == 1 ? "" : "s") + " from " + hidden.size()
          + " command" + (hidden.size() == 1 ? "" : "s") + ": " + breakdown(countByName(hidden), 4), null));
    }
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      boolean last = i == rows.size() - 1;
      String branch = indent + (last ? "└─ " : "├─ ");
      Node child = row.child();
      if (child == null) {
        out.println(branch + row.text());
      } else if (!printed.add(child.key())) {
        out.println(branch + row.text() + "  (↑ shown above)");
      } else {
        String command = commandByTrace.get(child.span().getTraceId());
        out.println(branch + row.text() + "  (in " + (command == null ? "" : command + " ") + "trace "
            + child.span().getTraceId() + ")");
        printChildren(out, child, indent + (last ? "   " : "│  "), printed, maxRows);
      }
    }
  }

  private static String eventRow(List<EventRef> group) {
    EventRef first = group.get(0);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (EventRef event : group) {
      min = Math.min(min, event.sequence());
      max = Math.max(max, event.sequence());
    }
    String events = group.size() == 1 ? first.type() : group.size() + " events";
    return String.format("%-16s trace %s  %s %s", first.command(), first.traceId(), range(min, max), events);
  }

  private static Map<String, Integer> countByName(Collection<CommandRef> commands) {
    Map<String, Integer> counts = new HashMap<>();
    for (CommandRef command : commands) {
      counts.merge(command.name(), 1, Integer::sum);
    }
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    Map<String, Integer> result = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> entry : sorted) {
      result.put(entry.getKey(), entry.getValue());
    }
    return result;
  }

  private static String breakdown(Map<String, Integer> counts, int max) {
    StringBuilder text = new StringBuilder();
    int shown = 0;
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      if (shown == max) {
        text.append(", …");
        break;
      }
      if (shown > 0) {
        text.append(", ");
      }
      text.append(entry.getKey()).append(" ×").append(entry.getValue());
      shown++;
    }
    return text.toString();
  }

  static String range(@Nullable Long first, @Nullable Long last) {
    if (first == null || last == null) {
      return "#?";
    }
    return first.equals(last) ? "#" + first : "#" + first + "–#" + last;
  }

  private static long orZero(@Nullable Long value) {
    return value == null ? 0 : value;
  }
}
