package io.tracefold.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one run of the example, from command-line flags and environment variables
 * (flags win). {@link #usage()} lists them.
 *
 * @param shoppers concurrent shopping clients (a warehouse client runs beside them)
 * @param ordersPerShopper orders each shopper places
 * @param snapshotThreshold events after which a {@code StockItem} is snapshotted
 * @param postgres whether the event store is PostgreSQL (else in memory)
 * @param jdbcUrl the PostgreSQL JDBC URL; null starts an embedded PostgreSQL
 * @param jdbcUser the database user, or null
 * @param jdbcPassword the database password, or null
 * @param entity the entity to explain, {@code Type:id}; null picks the busiest stock item
 * @param html where to write the HTML picture; null picks a default
 * @param fullTree whether the tree lists every command instead of a few per node
 * @param seed the seed of the scripted workload's choices
 * @param fromStore whether to run no workload and only report {@link #entity} from the event store
 *     of an earlier run (the Provenance API; the spans of that run are gone)
 */
record ExampleOptions(
    int shoppers,
    int ordersPerShopper,
    int snapshotThreshold,
    boolean postgres,
    @Nullable String jdbcUrl,
    @Nullable String jdbcUser,
    @Nullable String jdbcPassword,
    @Nullable String entity,
    @Nullable Path html,
    boolean fullTree,
    long seed,
    boolean fromStore) {

  /** The defaults: 5 shoppers × 50 orders, in memory, snapshots every 200 events. */
  static ExampleOptions defaults() {
    return new ExampleOptions(5, 50, 200, false, null, null, null, null, null, false, 42, false);
  }

  /** Thrown for a bad flag; the message says which. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Parses {@code args} over the defaults and {@code env}. */
  static ExampleOptions parse(String[] args, Map<String, String> env) throws UsageException {
    ExampleOptions o = defaults();
    String store = env.get("TRACEFOLD_EXAMPLE_STORE");
    boolean postgres = "postgres".equalsIgnoreCase(store);
    if (store != null && !postgres && !"memory".equalsIgnoreCase(store)) {
      throw new UsageException("TRACEFOLD_EXAMPLE_STORE must be memory or postgres, was " + store);
    }
    String url = env.get("TRACEFOLD_EXAMPLE_JDBC_URL");
    int shoppers = o.shoppers();
    int orders = o.ordersPerShopper();
    int threshold = o.snapshotThreshold();
    String entity = null;
    Path html = null;
    boolean full = false;
    long seed = o.seed();
    boolean fromStore = false;
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String arg = rest.remove(0);
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "--postgres":
          postgres = true;
          if (value != null && !value.isEmpty()) {
            url = value;
          }
          break;
        case "--memory":
          postgres = false;
          break;
        case "--jdbc-url":
          url = value(arg, value, rest);
          postgres = true;
          break;
        case "--shoppers":
          shoppers = positive(arg, value(arg, value, rest));
          break;
        case "--orders":
          orders = positive(arg, value(arg, value, rest));
          break;
        case "--snapshot-every":
          threshold = positive(arg, value(arg, value, rest));
          break;
        case "--entity":
          entity = value(arg, value, rest);
          if (entity.indexOf(':') <= 0) {
            throw new UsageException("--entity wants Type:id, e.g. StockItem:espresso or CustomerOrder:web-1-7");
          }
          break;
        case "--html":
          html = Path.of(value(arg, value, rest));
          break;
        case "--full":
          full = true;
          break;
        case "--from-store":
          fromStore = true;
          break;
        case "--seed":
          seed = Long.parseLong(value(arg, value, rest));
          break;
        default:
          throw new UsageException("unknown argument " + arg);
      }
    }
    if (url != null && url.isBlank()) {
      url = null;
    }
    if (fromStore && (url == null || entity == null)) {
      throw new UsageException("--from-store reports an entity from the store of an earlier run: it needs"
          + " --postgres=JDBC_URL (an embedded PostgreSQL lives only as long as its run) and --entity Type:id");
    }
    return new ExampleOptions(
        shoppers, orders, threshold, postgres || url != null, url,
        env.get("TRACEFOLD_EXAMPLE_JDBC_USER"), env.get("TRACEFOLD_EXAMPLE_JDBC_PASSWORD"),
        entity, html, full, seed, fromStore);
  }

  private static String value(String flag, @Nullable String inline, List<String> rest) throws UsageException {
    if (inline != null) {
      return inline;
    }
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new UsageException(flag + " needs a value");
    }
    return rest.remove(0);
  }

  private static int positive(String flag, String value) throws UsageException {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(flag + " wants a positive number, was " + value);
  }

  /** Returns the help text. */
  static String usage() {
    return String.join(
        System.lineSeparator(),
        "Tracefold example: an order-fulfilment Axon application whose rehydration and projection",
        "spans link to every event that built the state, and a report of which commands built it.",
        "",
        "Flags:",
        "  --postgres[=JDBC_URL]   PostgreSQL event store; no URL starts an embedded PostgreSQL",
        "  --jdbc-url URL          same as --postgres=URL",
        "  --shoppers N            concurrent shopping clients (default 5; a warehouse client runs too)",
        "  --orders N              orders per shopper (default 50)",
        "  --snapshot-every N      snapshot a StockItem after N events (default 200)",
        "  --entity Type:id        the entity to explain (default: the busiest StockItem)",
        "  --html FILE             where to write the picture (default: tracefold-provenance.html",
        "                          next to the example's jar or classes)",
        "  --full                  list every command in the tree, not a few per node",
        "  --seed N                seed of the scripted workload (default 42)",
        "  --from-store            no workload: report --entity from the PostgreSQL store of an earlier",
        "                          run (--postgres=JDBC_URL), through the Provenance API",
        "",
        "Environment:",
        "  TRACEFOLD_EXAMPLE_STORE=memory|postgres, TRACEFOLD_EXAMPLE_JDBC_URL,",
        "  TRACEFOLD_EXAMPLE_JDBC_USER, TRACEFOLD_EXAMPLE_JDBC_PASSWORD",
        "  OTEL_* (standard SDK variables): e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317",
        "  exports every span over OTLP; OTEL_TRACES_EXPORTER=logging logs them. Without any, no span",
        "  leaves the process.");
  }
}
