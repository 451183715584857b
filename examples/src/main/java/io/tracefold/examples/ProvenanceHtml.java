package io.tracefold.examples;

import static io.tracefold.core.TracefoldAttributes.CONTEXTS_INVALID;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_MISSING;
import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ENTITY_TYPE;
import static io.tracefold.core.TracefoldAttributes.EVENTS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_FIRST_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_LAST_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_LEVEL;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;
import static io.tracefold.core.TracefoldAttributes.LINKS_DIRECT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a provenance graph as one self-contained HTML file: inline CSS, inline SVG drawn by
 * inline JavaScript from embedded JSON, no external asset and no network access. Columns, left to
 * right: command traces → event spans → lineage and snapshot spans → the reconstruction spans
 * (rehydration, projection update). Every drawn node is an element with {@code data-kind} (the
 * {@link ProvenanceTree.Kind} label) and {@code data-id} (the span key, or {@code cmd:<traceId>}
 * for a command); the page sets {@code data-rendered="true"} on {@code <body>} once drawn.
 */
final class ProvenanceHtml {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ProvenanceHtml() {}

  /** Writes the graph of {@code trees} (sharing their events) to {@code file}. */
  static void write(Path file, String title, List<ProvenanceTree> trees) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(title, trees), StandardCharsets.UTF_8);
  }

  /** Returns the HTML page for {@code trees}. */
  static String render(String title, List<ProvenanceTree> trees) {
    Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
    Set<List<String>> edges = new LinkedHashSet<>();
    List<Map<String, Object>> roots = new ArrayList<>();
    for (ProvenanceTree tree : trees) {
      roots.add(rootSummary(tree));
      for (ProvenanceTree.CommandRef command : tree.commands()) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", "cmd:" + command.traceId());
        node.put("kind", ProvenanceTree.Kind.COMMAND.label());
        node.put("label", command.name() + " · " + command.traceId().substring(0, 8));
        node.put("trace", command.traceId());
        node.put("detail", Map.of("command", command.name(), "trace id", command.traceId(),
            "events", command.range() + " (" + command.events() + ")"));
        nodes.putIfAbsent((String) node.get("id"), node);
      }
      for (ProvenanceTree.EventRef event : tree.events().values()) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", event.key());
        node.put("kind", ProvenanceTree.Kind.EVENT.label());
        node.put("label", "#" + event.sequence() + " " + event.type());
        node.put("seq", event.sequence());
        node.put("trace", event.traceId());
        node.put("detail", Map.of("event", "#" + event.sequence() + " " + event.type(), "command", event.command(),
            "trace id", event.traceId(), "span id", event.context().getSpanId()));
        nodes.putIfAbsent(event.key(), node);
        edges.add(List.of("cmd:" + event.traceId(), event.key()));
      }
      for (ProvenanceTree.Node treeNode : tree.nodes()) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", treeNode.key());
        node.put("kind", treeNode.kind().label());
        node.put("label", label(treeNode));
        node.put("root", treeNode == tree.root());
        node.put("trace", treeNode.span().getTraceId());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("span", treeNode.span().getName());
        detail.put("trace id", treeNode.span().getTraceId());
        detail.put("span id", treeNode.span().getSpanId());
        detail.put("links", treeNode.links().size());
        treeNode.span().getAttributes().forEach((key, value) -> {
          if (key.getKey().startsWith("tracefold.")) {
            detail.put(key.getKey(), value);
          }
        });
        node.put("detail", detail);
        Map<String, Object> existing = nodes.putIfAbsent(treeNode.key(), node);
        if (existing != null && treeNode == tree.root()) {
          existing.put("root", true);
        }
        for (ProvenanceTree.Edge edge : treeNode.links()) {
          edges.add(List.of(edge.target(), treeNode.key()));
        }
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("title", title);
    data.put("roots", roots);
    data.put("nodes", new ArrayList<>(nodes.values()));
    data.put("edges", new ArrayList<>(edges));
    String json;
    try {
      json = JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    // Inside <script>: no "</" may end the element early.
    json = json.replace("</", "<\\/").replace("<!--", "<\\!--");
    return TEMPLATE
        .replace("{{TITLE}}", escape(title))
        .replace("{{SUMMARY}}", summaryHtml(trees))
        .replace("{{COMMANDS}}", commandsHtml(trees.isEmpty() ? null : trees.get(0)))
        .replace("/*{{DATA}}*/null", json);
  }

  private static String label(ProvenanceTree.Node node) {
    Attributes a = node.span().getAttributes();
    switch (node.kind()) {
      case REHYDRATION:
      case PROJECTION:
        return node.span().getName();
      case LINEAGE:
        String owner = a.get(ENTITY_TYPE);
        return "L" + a.get(LINEAGE_LEVEL) + " " + ProvenanceTree.range(a.get(LINEAGE_FIRST_SEQUENCE), a.get(LINEAGE_LAST_SEQUENCE))
            + (owner == null ? "" : " · " + owner);
      case SNAPSHOT:
        return "snapshot " + (node.sequence() == null ? "" : "≤ #" + node.sequence() + " · ")
            + a.get(ENTITY_TYPE);
      default:
        return node.span().getName();
    }
  }

  private static Map<String, Object> rootSummary(ProvenanceTree tree) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("id", tree.root().key());
    root.put("kind", tree.root().kind().label());
    root.put("span", tree.root().span().getName());
    root.put("entity", tree.entityType() + " " + tree.entityId());
    root.put("trace", tree.root().span().getTraceId());
    root.put("events", tree.count(EVENTS));
    root.put("contributors", tree.count(CONTRIBUTORS));
    root.put("linked", tree.count(LINKS_DIRECT));
    root.put("lineageSpans", tree.count(LINEAGE_SPANS));
    root.put("invalid", tree.count(CONTEXTS_INVALID));
    root.put("missing", tree.count(CONTEXTS_MISSING));
    root.put("reachable", tree.contributors().size());
    root.put("commands", tree.commands().size());
    root.put("maxHops", tree.maxHops());
    return root;
  }

  private static String summaryHtml(List<ProvenanceTree> trees) {
    StringBuilder html = new StringBuilder();
    for (ProvenanceTree tree : trees) {
      boolean complete = tree.contributors().size() == tree.count(CONTRIBUTORS) && tree.dangling().isEmpty();
      html.append("<div class=\"card\" data-root-kind=\"").append(tree.root().kind().label()).append("\">")
          .append("<div class=\"card-title\"><span class=\"swatch k-").append(tree.root().kind().label())
          .append("\"></span>").append(escape(tree.root().span().getName())).append("</div>")
          .append("<div>").append(escape(tree.entityType() + " " + tree.entityId()))
          .append(" · trace <code>").append(tree.root().span().getTraceId()).append("</code></div>")
          .append("<div class=\"counts\">events ").append(tree.count(EVENTS))
          .append(" · contributors ").append(tree.count(CONTRIBUTORS))
          .append(" · linked ").append(tree.count(LINKS_DIRECT))
          .append(" · lineage spans ").append(tree.count(LINEAGE_SPANS))
          .append(" · invalid ").append(tree.count(CONTEXTS_INVALID))
          .append(" · missing ").append(tree.count(CONTEXTS_MISSING)).append("</div>")
          .append("<div class=\"counts\">reachable: ").append(tree.contributors().size())
          .append(" event spans from ").append(tree.commands().size()).append(" commands, ≤ ")
          .append(tree.maxHops()).append(" hops ")
          .append(complete ? "<b class=\"ok\">= contributors ✓</b>" : "<b class=\"bad\">≠ contributors ✗</b>")
          .append("</div></div>");
    }
    return html.toString();
  }

  private static String commandsHtml(ProvenanceTree tree) {
    if (tree == null) {
      return "";
    }
    StringBuilder html = new StringBuilder();
    html.append("<h2>Commands that built ").append(escape(tree.entityType() + " " + tree.entityId()))
        .append(" (").append(tree.commands().size()).append(")</h2>")
        .append("<table id=\"commands\"><thead><tr><th>#</th><th>command</th><th>trace id</th>")
        .append("<th>events</th></tr></thead><tbody>");
    int i = 1;
    for (ProvenanceTree.CommandRef command : tree.commands()) {
      html.append("<tr data-command=\"").append(command.traceId()).append("\"><td>").append(i++)
          .append("</td><td>").append(escape(command.name())).append("</td><td><code>")
          .append(command.traceId()).append("</code></td><td>").append(escape(command.range()))
          .append(command.events() > 1 ? " (" + command.events() + ")" : "").append("</td></tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static final String TEMPLATE = """
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}</title>
<style>
  :root { --command:#2563eb; --event:#059669; --lineage:#d97706; --snapshot:#7c3aed;
          --reconstruction:#64748b; --rehydration:#dc2626; --projection:#db2777; }
  body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #111827; background: #f9fafb; }
  header { padding: 14px 20px 8px; background: #fff; border-bottom: 1px solid #e5e7eb; position: sticky; top: 0; z-index: 2; }
  h1 { font-size: 18px; margin: 0 0 4px; }
  h2 { font-size: 15px; margin: 20px 20px 8px; }
  code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  .cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 8px 0; }
  .card { background: #f3f4f6; border-radius: 6px; padding: 8px 12px; }
  .card-title { font-weight: 600; }
  .counts { color: #374151; }
  .ok { color: #047857; } .bad { color: #b91c1c; }
  .legend { display: flex; gap: 14px; flex-wrap: wrap; color: #374151; align-items: center; }
  .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
  .k-command { background: var(--command); } .k-event { background: var(--event); }
  .k-lineage { background: var(--lineage); } .k-snapshot { background: var(--snapshot); }
  .k-reconstruction { background: var(--reconstruction); } .k-rehydration { background: var(--rehydration); }
  .k-projection { background: var(--projection); }
  #detail button { font: inherit; padding: 2px 10px; border: 1px solid #d1d5db; background: #fff; border-radius: 4px; cursor: pointer; }
  #graph-wrap { overflow: auto; padding: 8px 20px; }
  svg text { font-size: 11px; paint-order: stroke; stroke: #f9fafb; stroke-width: 3px; stroke-linejoin: round; }
  .edge { fill: none; stroke: #9ca3af; stroke-opacity: .35; stroke-width: 1; }
  .node { cursor: pointer; }
  .node rect, .node circle { stroke: #fff; stroke-width: 1; }
  svg.focus .edge { stroke-opacity: .06; }
  svg.focus .node { opacity: .25; }
  svg.focus .edge.hl { stroke: #111827; stroke-opacity: .9; stroke-width: 1.5; }
  svg.focus .node.hl { opacity: 1; }
  .col-title { font-size: 12px; font-weight: 600; fill: #374151; }
  #detail { position: fixed; right: 16px; bottom: 16px; max-width: 420px; background: #fff; border: 1px solid #d1d5db;
            border-radius: 6px; padding: 10px 12px; box-shadow: 0 4px 14px rgba(0,0,0,.12); display: none; z-index: 3; }
  #detail table td { padding: 1px 6px 1px 0; vertical-align: top; }
  #error { color: #b91c1c; margin: 10px 20px; }
  table#commands { border-collapse: collapse; margin: 0 20px 30px; background: #fff; }
  table#commands td, table#commands th { border: 1px solid #e5e7eb; padding: 2px 8px; text-align: left; }
</style>
</head>
<body>
<header>
  <h1>{{TITLE}}</h1>
  <div class="cards">{{SUMMARY}}</div>
  <div class="legend">
    <span><span class="swatch k-command"></span>command trace</span>
    <span><span class="swatch k-event"></span>event span</span>
    <span><span class="swatch k-lineage"></span>lineage span</span>
    <span><span class="swatch k-snapshot"></span>snapshot span</span>
    <span><span class="swatch k-rehydration"></span>rehydration</span>
    <span><span class="swatch k-projection"></span>projection update</span>
    <span>Arrows read "built": hover a node to follow its paths, click it for details.</span>
  </div>
</header>
<div id="error"></div>
<div id="graph-wrap"><svg id="graph" xmlns="http://www.w3.org/2000/svg"></svg></div>
{{COMMANDS}}
<div id="detail"></div>
<script>
"use strict";
const DATA = /*{{DATA}}*/null;
window.addEventListener("error", e => {
  document.getElementById("error").textContent = "Could not draw the graph: " + e.message;
  document.body.dataset.rendered = "error";
});
(function draw() {
  const SVG = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("graph");
  const byId = new Map(DATA.nodes.map(n => [n.id, n]));
  const preds = new Map(), succs = new Map();
  DATA.nodes.forEach(n => { preds.set(n.id, []); succs.set(n.id, []); });
  DATA.edges.forEach(([from, to]) => {
    if (byId.has(from) && byId.has(to)) { succs.get(from).push(to); preds.get(to).push(from); }
  });
  // Columns: commands 0, events 1, every other node one right of its rightmost input; roots last.
  const col = new Map();
  const colOf = id => {
    if (col.has(id)) return col.get(id);
    const n = byId.get(id);
    let c = n.kind === "command" ? 0 : n.kind === "event" ? 1 : 2;
    if (c === 2) { col.set(id, 2); for (const p of preds.get(id)) c = Math.max(c, colOf(p) + 1); }
    col.set(id, c);
    return c;
  };
  DATA.nodes.forEach(n => colOf(n.id));
  let last = 2;
  col.forEach((c, id) => { if (!byId.get(id).root) last = Math.max(last, c + 1); });
  DATA.nodes.forEach(n => { if (n.root) col.set(n.id, last); });
  const ROW = 16, TOP = 40, X = [20, 300];
  const WIDTH = { command: 200, event: 150, other: 260 };
  const xOf = c => c < 2 ? X[c] : 480 + (c - 2) * 285;
  const y = new Map();
  const events = DATA.nodes.filter(n => n.kind === "event").sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1));
  events.forEach((n, i) => y.set(n.id, TOP + i * ROW));
  const mean = ids => ids.reduce((s, id) => s + (y.get(id) ?? 0), 0) / Math.max(1, ids.length);
  const place = (nodes, wanted, gap) => {
    nodes.sort((a, b) => wanted(a) - wanted(b));
    let next = TOP;
    nodes.forEach(n => { const v = Math.max(next, wanted(n)); y.set(n.id, v); next = v + gap; });
  };
  place(DATA.nodes.filter(n => n.kind === "command"), n => mean(succs.get(n.id)), ROW);
  // Tracefold spans sit at the top of the range they reach; reconstructions at the very top.
  const top = ids => ids.reduce((m, id) => Math.min(m, y.get(id) ?? TOP), Infinity);
  for (let c = 2; c <= last; c++) {
    place(DATA.nodes.filter(n => col.get(n.id) === c), n => n.root ? TOP : top(preds.get(n.id)) - 6, 34);
  }
  let height = TOP;
  y.forEach(v => { height = Math.max(height, v + 40); });
  const width = xOf(last) + WIDTH.other + 40;
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  const el = (name, attrs, parent) => {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    (parent || svg).appendChild(e);
    return e;
  };
  const titles = ["commands", "events"];
  for (let c = 0; c <= last; c++) {
    const kinds = [...new Set(DATA.nodes.filter(n => col.get(n.id) === c).map(n => n.kind))].sort();
    const t = el("text", { x: xOf(c), y: 20, class: "col-title" });
    t.textContent = c < 2 ? titles[c] : c === last ? "rebuilt state" : kinds.join(" / ");
  }
  const anchorOut = id => {
    const n = byId.get(id), c = col.get(id), x = xOf(c);
    if (n.kind === "event") return [x + 5, y.get(id)];
    if (n.kind === "command") return [x + WIDTH.command, y.get(id)];
    return [x + WIDTH.other, y.get(id) + 12];
  };
  const anchorIn = id => {
    const n = byId.get(id), x = xOf(col.get(id));
    if (n.kind === "event") return [x - 5, y.get(id)];
    return [x, y.get(id) + 12];
  };
  const edgeEls = new Map();
  const edgeLayer = el("g", { class: "edges" });
  DATA.edges.forEach(([from, to]) => {
    if (!byId.has(from) || !byId.has(to)) return;
    const [x1, y1] = anchorOut(from), [x2, y2] = anchorIn(to), mx = (x1 + x2) / 2;
    const p = el("path", { class: "edge", d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
      "data-from": from, "data-to": to }, edgeLayer);
    edgeEls.set(from + ">" + to, p);
  });
  const nodeEls = new Map();
  DATA.nodes.forEach(n => {
    const c = col.get(n.id), x = xOf(c), top = y.get(n.id);
    const g = el("g", { class: "node", "data-kind": n.kind, "data-id": n.id });
    if (n.root) g.setAttribute("data-root", "true");
    if (n.seq !== undefined) g.setAttribute("data-seq", n.seq);
    if (n.trace) g.setAttribute("data-trace", n.trace);
    const color = `var(--${n.kind})`;
    if (n.kind === "event") {
      el("circle", { cx: x, cy: top, r: 5, fill: color }, g);
      el("text", { x: x + 9, y: top + 4 }, g).textContent = n.label;
    } else if (n.kind === "command") {
      el("rect", { x: x, y: top - 6, width: WIDTH.command, height: 12, rx: 3, fill: color, "fill-opacity": .15 }, g);
      el("rect", { x: x, y: top - 6, width: 4, height: 12, fill: color }, g);
      el("text", { x: x + 8, y: top + 4 }, g).textContent = n.label;
    } else {
      el("rect", { x: x, y: top, width: WIDTH.other, height: 24, rx: 4, fill: color, "fill-opacity": n.root ? 1 : .9 }, g);
      const t = el("text", { x: x + 6, y: top + 16, fill: "#fff", style: "stroke:none;font-weight:600" }, g);
      t.textContent = n.label.length > 40 ? n.label.slice(0, 39) + "…" : n.label;
    }
    el("title", {}, g).textContent = n.label;
    nodeEls.set(n.id, g);
  });
  // Hover: everything that built this node, and everything it helped build.
  const walk = (start, next) => {
    const seen = new Set([start]), todo = [start];
    while (todo.length) for (const m of next.get(todo.pop())) if (!seen.has(m)) { seen.add(m); todo.push(m); }
    return seen;
  };
  const clear = () => {
    svg.classList.remove("focus");
    svg.querySelectorAll(".hl").forEach(e => e.classList.remove("hl"));
  };
  nodeEls.forEach((g, id) => {
    g.addEventListener("mouseenter", () => {
      clear();
      svg.classList.add("focus");
      const up = walk(id, preds), down = walk(id, succs);
      [...up, ...down].forEach(m => nodeEls.get(m).classList.add("hl"));
      DATA.edges.forEach(([a, b]) => {
        if ((up.has(a) && up.has(b)) || (down.has(a) && down.has(b))) {
          const p = edgeEls.get(a + ">" + b);
          if (p) p.classList.add("hl");
        }
      });
    });
    g.addEventListener("mouseleave", clear);
    g.addEventListener("click", () => {
      const d = document.getElementById("detail");
      const rows = Object.entries(byId.get(id).detail || {})
        .map(([k, v]) => `<tr><td>${k}</td><td><code>${String(v).replace(/[<&]/g, s => s === "<" ? "&lt;" : "&amp;")}</code></td></tr>`);
      d.innerHTML = `<b>${byId.get(id).kind}</b> <button id="close" type="button">close</button><table>${rows.join("")}</table>`;
      d.style.display = "block";
      document.getElementById("close").onclick = () => { d.style.display = "none"; };
    });
  });
  svg.dataset.nodes = String(DATA.nodes.length);
  document.body.dataset.rendered = "true";
})();
</script>
</body>
</html>
""";
}
