package io.tracefold.core.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The link graph of a set of exported spans, walked the way a person clicks through span links in
 * a tracing backend: from a reconstruction span, through Tracefold's own lineage, snapshot and
 * projection spans, to the event spans that contributed.
 *
 * <p>A link is followed further when its {@code tracefold.link.kind} says it points at a Tracefold
 * span (anything but {@code event}); such a target must have been exported, else it is reported as
 * dangling. Every other link target is a contributor. This is the checker of the provenance
 * completeness invariant, shared by every integration test through the core test-jar.
 */
public final class ProvenanceGraph {

  private static final AttributeKey<String> LINK_KIND = AttributeKey.stringKey("tracefold.link.kind");

  private final Map<String, SpanData> spansById = new HashMap<>();
  private final List<SpanData> spans;

  private ProvenanceGraph(Collection<SpanData> spans) {
    this.spans = new ArrayList<>(spans);
    for (SpanData span : spans) {
      spansById.put(key(span.getSpanContext()), span);
    }
  }

  /** Returns the graph of these exported spans. */
  public static ProvenanceGraph of(Collection<SpanData> spans) {
    return new ProvenanceGraph(spans);
  }

  /** Returns the key of a span context: trace id and span id. */
  public static String key(SpanContext context) {
    return context.getTraceId() + '/' + context.getSpanId();
  }

  /** Returns the exported span with this context, or null. */
  public SpanData span(SpanContext context) {
    return spansById.get(key(context));
  }

  /** Returns every exported span. */
  public List<SpanData> spans() {
    return spans;
  }

  /** Returns the most links carried by any exported span. */
  public int maxLinksPerSpan() {
    int max = 0;
    for (SpanData span : spans) {
      max = Math.max(max, span.getLinks().size());
    }
    return max;
  }

  /** Returns the spans that dropped links (the SDK's limit was hit): must be none. */
  public List<SpanData> spansWithDroppedLinks() {
    List<SpanData> dropped = new ArrayList<>();
    for (SpanData span : spans) {
      if (span.getTotalRecordedLinks() > span.getLinks().size()) {
        dropped.add(span);
      }
    }
    return dropped;
  }

  /** Walks the links from {@code root}. */
  public Reach reach(SpanData root) {
    Map<String, Integer> contributors = new LinkedHashMap<>();
    Map<String, SpanContext> contributorContexts = new LinkedHashMap<>();
    Set<String> visited = new LinkedHashSet<>();
    Set<String> dangling = new LinkedHashSet<>();
    Deque<SpanData> queue = new ArrayDeque<>();
    Map<String, Integer> depth = new HashMap<>();
    queue.add(root);
    visited.add(key(root.getSpanContext()));
    depth.put(key(root.getSpanContext()), 0);
    int maxDepth = 0;
    while (!queue.isEmpty()) {
      SpanData span = queue.removeFirst();
      int d = depth.get(key(span.getSpanContext()));
      for (LinkData link : span.getLinks()) {
        String target = key(link.getSpanContext());
        String kind = link.getAttributes().get(LINK_KIND);
        if (kind != null && !"event".equals(kind)) {
          SpanData node = spansById.get(target);
          if (node == null) {
            dangling.add(target);
          } else if (visited.add(target)) {
            depth.put(target, d + 1);
            queue.add(node);
          }
        } else {
          if (!contributors.containsKey(target)) {
            contributors.put(target, d + 1);
            contributorContexts.put(target, link.getSpanContext());
            maxDepth = Math.max(maxDepth, d + 1);
          }
        }
      }
    }
    visited.remove(key(root.getSpanContext()));
    return new Reach(contributors, contributorContexts, visited, dangling, maxDepth);
  }

  /** What a walk from one root reached. */
  public static final class Reach {
    private final Map<String, Integer> hopsByContributor;
    private final Map<String, SpanContext> contexts;
    private final Set<String> intermediate;
    private final Set<String> dangling;
    private final int maxHops;

    Reach(
        Map<String, Integer> hopsByContributor,
        Map<String, SpanContext> contexts,
        Set<String> intermediate,
        Set<String> dangling,
        int maxHops) {
      this.hopsByContributor = hopsByContributor;
      this.contexts = contexts;
      this.intermediate = intermediate;
      this.dangling = dangling;
      this.maxHops = maxHops;
    }

    /** Returns the keys ({@link #key}) of every contributor reached. */
    public Set<String> contributors() {
      return hopsByContributor.keySet();
    }

    /** Returns the contexts of every contributor reached. */
    public Collection<SpanContext> contributorContexts() {
      return contexts.values();
    }

    /** Returns the keys of the Tracefold spans passed through (lineage, snapshot, projection). */
    public Set<String> intermediateSpans() {
      return intermediate;
    }

    /** Returns the keys of Tracefold link targets that were never exported. */
    public Set<String> dangling() {
      return dangling;
    }

    /** Returns the most link hops from the root to any contributor (0 when there is none). */
    public int maxHops() {
      return maxHops;
    }
  }
}
