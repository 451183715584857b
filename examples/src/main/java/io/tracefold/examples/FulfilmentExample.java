package io.tracefold.examples;

import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.EVENTS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;
import static io.tracefold.core.TracefoldAttributes.LINKS_DIRECT;
import static io.tracefold.core.TracefoldAttributes.SNAPSHOT_SEQUENCE;

import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.axon.provenance.AggregateProvenance;
import io.tracefold.axon.provenance.Provenance;
import io.tracefold.core.LinkLimits;
import io.tracefold.examples.fulfilment.CustomerOrder;
import io.tracefold.examples.fulfilment.StockItem;
import io.tracefold.examples.fulfilment.StockLevelProjection;
import io.tracefold.examples.fulfilment.StockLevelProjection.StockLevel;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.jspecify.annotations.Nullable;

/**
 * Entry point of the Tracefold example: runs an order-fulfilment application on Axon Framework
 * with Tracefold, drives a scripted workload of concurrent clients (each command in a trace of its
 * own), then explains one entity: which commands built its state, as a tree in the terminal and as
 * a graph in a self-contained HTML file.
 *
 * <pre>{@code
 * java -jar examples/target/tracefold-example.jar                # in memory, spans to the console
 * java -jar examples/target/tracefold-example.jar --postgres     # embedded PostgreSQL event store
 * OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317 java -jar examples/target/tracefold-example.jar
 * }</pre>
 *
 * <p>{@code --help} lists the flags.
 */
public final class FulfilmentExample {

  private FulfilmentExample() {}

  /**
   * What one run produced.
   *
   * @param workload what the workload did, or null with {@code --from-store}
   * @param rehydration the provenance of the explained aggregate's latest rehydration, or null
   * @param projection the provenance of the explained read-model entity's latest update, or null
   * @param html the HTML file written
   * @param spans every span captured in-process
   * @param snapshots snapshots taken
   * @param consistent whether every loaded stock item agrees with the read model
   * @param stored the commands behind the explained aggregate, read from the event store through the
   *     Provenance API, or null (not an aggregate, or refused)
   * @param impact the reverse question for one command of the explained aggregate, or null
   */
  record Report(
      Workload.@Nullable Result workload,
      @Nullable ProvenanceTree rehydration,
      @Nullable ProvenanceTree projection,
      Path html,
      List<SpanData> spans,
      int snapshots,
      boolean consistent,
      @Nullable AggregateProvenance stored,
      @Nullable CommandImpact impact) {}

  /**
   * Runs the example with the flags in {@code args}; exits with 0 on success, 2 on a usage error
   * and 1 on a failure.
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.println(ExampleOptions.usage());
      return;
    }
    ExampleOptions options;
    try {
      options = ExampleOptions.parse(args, System.getenv());
    } catch (ExampleOptions.UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println();
      System.err.println(ExampleOptions.usage());
      System.exit(2);
      return;
    }
    try {
      run(options, out, List.of(), app -> {});
    } catch (Exception e) {
      System.err.println("The example failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    // Axon and the SDK are shut down; make sure no stray non-daemon thread keeps the JVM up.
    System.exit(0);
  }

  /**
   * Runs the example, printing to {@code out}; {@code extraProcessors} see every span and
   * {@code beforeClose} sees the application after the report (tests).
   */
  static Report run(
      ExampleOptions options,
      PrintStream out,
      List<SpanProcessor> extraProcessors,
      Consumer<FulfilmentApp> beforeClose)
      throws InterruptedException, IOException, TimeoutException {
    int budget = LinkLimits.getDefault().getMaxDirectLinks();
    Map<String, String> systemProperties = new HashMap<>();
    System.getProperties().forEach((k, v) -> systemProperties.put(String.valueOf(k), String.valueOf(v)));
    out.println("Tracefold example — order fulfilment on Axon Framework, every rebuilt state linked to the"
        + " commands that built it");
    if (options.fromStore()) {
      return fromStore(options, out, systemProperties, extraProcessors);
    }
    try (Telemetry telemetry = Telemetry.create(System.getenv(), systemProperties, extraProcessors)) {
      Progress progress = new Progress(out, budget);
      telemetry.capture.setListener(progress);
      progress.phase("Starting: event store " + (options.postgres() ? "PostgreSQL" : "in memory") + ", spans "
          + telemetry.description());
      try (FulfilmentApp app = new FulfilmentApp(telemetry, options)) {
        progress.info("event store: " + app.store.description + " · StockItem snapshot every "
            + options.snapshotThreshold() + " events · link budget " + budget + " per span");
        String suffix = app.store.shared ? "-" + Long.toString(System.currentTimeMillis() % 46_656_000L, 36) : "";
        Workload workload = new Workload(app, options, progress, suffix);
        Workload.Result result = workload.run();
        progress.phase(String.format(Locale.ROOT,
            "Workload done: %d orders (%d confirmed, %d cancelled) · %,d commands · %,d events · %d snapshots%s",
            result.orders(), result.confirmed(), result.cancelled(), result.commands(), progress.events(),
            progress.snapshots(), result.failures() > 0 ? " · " + result.failures() + " failed commands" : ""));

        progress.phase("Waiting for the stock-levels projection to catch up");
        app.awaitProjection(Duration.ofSeconds(60));

        progress.phase("Loading every stock item and each shopper's first order; querying the read model");
        String[] entity = entity(options, workload);
        Map<String, StockItem> items = loadAll(app, workload, result, entity);
        List<SpanData> spans = telemetry.capture.spans();
        List<StockLevel> levels = app.query("back-office", new StockLevelProjection.FindAllStockLevels(),
            ResponseTypes.multipleInstancesOf(StockLevel.class));
        boolean consistent = printStockTable(out, workload, result, items, levels, spans);

        ProvenanceTree rehydration = null;
        ProvenanceTree projection = null;
        SpanData rehydrationRoot = latest(spans, "Repository.initializeState(" + entity[0] + ")", entity[1]);
        if (rehydrationRoot != null) {
          rehydration = ProvenanceTree.of(spans, rehydrationRoot);
        }
        SpanData projectionRoot =
            entity[0].equals("StockItem") || entity[0].equals("StockLevel")
                ? latest(spans, "Projection.update(" + StockLevelProjection.class.getSimpleName() + ")", entity[1])
                : null;
        if (projectionRoot != null) {
          projection = ProvenanceTree.of(spans, projectionRoot);
        }
        int maxRows = options.fullTree() ? 0 : 3;
        List<ProvenanceTree> trees = new ArrayList<>();
        for (ProvenanceTree tree : new ProvenanceTree[] {rehydration, projection}) {
          if (tree != null) {
            out.println();
            tree.print(out, maxRows);
            trees.add(tree);
          }
        }
        if (trees.isEmpty()) {
          progress.warn("no traced reconstruction of " + entity[0] + " " + entity[1] + " was found");
        }
        out.println();
        out.println("Each row under a span is a command: its name, its trace id (search it in Jaeger, Tempo or"
            + " Datadog) and the");
        out.println("event sequence numbers it produced. ↑ marks a span already expanded above (lineage is shared,"
            + " not copied).");
        if (!options.fullTree()) {
          out.println("--full lists every command instead of " + maxRows + " per span.");
        }
        AggregateProvenance stored = null;
        if (isAggregate(entity[0])) {
          Set<String> walked = null;
          if (rehydration != null) {
            walked = new LinkedHashSet<>();
            for (ProvenanceTree.CommandRef command : rehydration.commands()) {
              walked.add(command.traceId());
            }
          }
          stored = StoreReport.printAggregate(out, provenance(app), entity[0], entity[1], spans, walked, maxRows);
        }
        CommandImpact impact = null;
        if (rehydration != null && !rehydration.commands().isEmpty()) {
          ProvenanceTree.CommandRef chosen = rehydration.commands().get(0);
          for (ProvenanceTree.CommandRef command : rehydration.commands()) {
            if (command.name().equals("ReserveStock")) {
              chosen = command;
              break;
            }
          }
          impact = CommandImpact.of(spans, chosen.traceId());
          impact.print(out);
        }
        Path html = options.html() != null ? options.html() : defaultHtmlPath();
        ProvenanceHtml.write(html, "Provenance of " + entity[0] + " " + entity[1], trees);
        out.println();
        out.println("Picture of this graph: " + html.toAbsolutePath().toUri());
        beforeClose.accept(app);
        return new Report(
            result, rehydration, projection, html, spans, progress.snapshots(), consistent, stored, impact);
      }
    }
  }

  /**
   * Runs no workload: reports {@code --entity} from the PostgreSQL store of an earlier run through
   * the Provenance API, in a process that never saw that run's spans.
   */
  private static Report fromStore(
      ExampleOptions options, PrintStream out, Map<String, String> systemProperties,
      List<SpanProcessor> extraProcessors) {
    try (Telemetry telemetry = Telemetry.create(System.getenv(), systemProperties, extraProcessors);
        FulfilmentApp app = new FulfilmentApp(telemetry, options)) {
      out.println("No workload (--from-store): " + app.store.description + ", spans of earlier runs are not here");
      String[] entity = entity(options, null);
      Provenance provenance = provenance(app);
      AggregateProvenance stored = null;
      if (isAggregate(entity[0])) {
        stored = StoreReport.printAggregate(
            out, provenance, entity[0], entity[1], telemetry.capture.spans(), null, options.fullTree() ? 0 : 3);
      }
      if (entity[0].equals("StockItem") || entity[0].equals("StockLevel")) {
        StoreReport.printEntity(out, provenance, "StockLevel", entity[1]);
      }
      return new Report(null, null, null, Path.of(""), telemetry.capture.spans(), 0, true, stored, null);
    }
  }

  /** Returns the provenance API on the application's event store and lineage store. */
  private static Provenance provenance(FulfilmentApp app) {
    return Provenance.builder(app.config)
        .setProjectionLineageStore(app.store.lineageStore)
        .addProjection(StockLevelProjection.class)
        .build();
  }

  private static boolean isAggregate(String type) {
    return type.equals("StockItem") || type.equals("CustomerOrder");
  }

  /** Returns {type, id} of the entity to explain. */
  private static String[] entity(ExampleOptions options, @Nullable Workload workload) {
    if (options.entity() == null) {
      return new String[] {"StockItem", workload == null ? Workload.BEST_SELLER : workload.sku(Workload.BEST_SELLER)};
    }
    String entity = options.entity();
    int colon = entity.indexOf(':');
    return new String[] {entity.substring(0, colon), entity.substring(colon + 1)};
  }

  private static Map<String, StockItem> loadAll(
      FulfilmentApp app, Workload workload, Workload.Result result, String[] entity) {
    Map<String, StockItem> items = new HashMap<>();
    for (Workload.Product product : Workload.CATALOGUE) {
      String sku = workload.sku(product.sku());
      items.put(sku, app.load("back-office", StockItem.class, sku));
    }
    for (String orderId : result.firstOrders()) {
      app.load("back-office", CustomerOrder.class, orderId);
    }
    try {
      if (entity[0].equals("CustomerOrder") && !result.firstOrders().contains(entity[1])) {
        app.load("back-office", CustomerOrder.class, entity[1]);
      }
    } catch (RuntimeException e) {
      // Reported below: no reconstruction found.
    }
    return items;
  }

  /** Prints the read model beside the rehydrations; returns whether aggregates and read model agree. */
  private static boolean printStockTable(
      PrintStream out,
      Workload workload,
      Workload.Result result,
      Map<String, StockItem> items,
      List<StockLevel> levels,
      List<SpanData> spans) {
    List<String> disagreements = new ArrayList<>();
    out.println();
    out.println("  read model (query)                   │ latest rehydration of the StockItem aggregate");
    out.println("  sku        on hand reserved rejected │ events contributors read linked lineage snapshot");
    for (Workload.Product product : Workload.CATALOGUE) {
      String sku = workload.sku(product.sku());
      StockLevel level = null;
      for (StockLevel candidate : levels) {
        if (candidate.sku().equals(sku)) {
          level = candidate;
        }
      }
      StockItem item = items.get(sku);
      if (level == null || item == null
          || item.getOnHand() != level.onHand() || item.getReserved() != level.reserved()) {
        disagreements.add(product.sku()
            + ": aggregate " + (item == null ? "?" : item.getOnHand() + "/" + item.getReserved())
            + ", read model " + (level == null ? "?" : level.onHand() + "/" + level.reserved())
            + " (on hand/reserved)");
      }
      SpanData load = latest(spans, "Repository.initializeState(StockItem)", sku);
      Long snapshot = load == null ? null : load.getAttributes().get(SNAPSHOT_SEQUENCE);
      out.printf(Locale.ROOT, "  %-10s %7s %8s %8s │ %6d %12s %4s %6s %7s %8s%n",
          product.sku(),
          level == null ? "?" : level.onHand(),
          level == null ? "?" : level.reserved(),
          level == null ? "?" : level.rejected(),
          result.stockEvents().getOrDefault(product.sku(), 0),
          attr(load, CONTRIBUTORS), attr(load, EVENTS), attr(load, LINKS_DIRECT), attr(load, LINEAGE_SPANS),
          snapshot == null ? "—" : "#" + snapshot);
    }
    if (disagreements.isEmpty()) {
      out.println("  every loaded StockItem aggregate agrees with the read model ✓");
    } else {
      out.println("  ✗ aggregates and read model disagree: " + String.join("; ", disagreements));
    }
    return disagreements.isEmpty();
  }

  private static String attr(@Nullable SpanData span, io.opentelemetry.api.common.AttributeKey<Long> key) {
    if (span == null) {
      return "?";
    }
    Long value = span.getAttributes().get(key);
    // Counts other than events, contributors and direct links are set only when not zero.
    return value == null ? (key.equals(LINEAGE_SPANS) ? "0" : "?") : value.toString();
  }

  /** Returns the last ended span named {@code name} whose entity id is {@code id}, or null. */
  static @Nullable SpanData latest(List<SpanData> spans, String name, String id) {
    SpanData latest = null;
    for (SpanData span : spans) {
      if (span.getName().equals(name) && id.equals(span.getAttributes().get(ENTITY_ID))
          && (latest == null || span.getEndEpochNanos() >= latest.getEndEpochNanos())) {
        latest = span;
      }
    }
    return latest;
  }

  /** Next to the example's jar or classes (its {@code target/} folder), else the working directory. */
  private static Path defaultHtmlPath() {
    String file = "tracefold-provenance.html";
    try {
      Path location = Path.of(FulfilmentExample.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // target/classes (exec:java) or target/tracefold-example.jar (java -jar): both in target/.
      Path dir = location.getParent();
      if (dir != null && Files.isWritable(dir)) {
        return dir.resolve(file);
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall back to the working directory
    }
    return Path.of(file);
  }
}
