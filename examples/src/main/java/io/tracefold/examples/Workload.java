package io.tracefold.examples;

import io.tracefold.examples.fulfilment.CustomerOrder;
import io.tracefold.examples.fulfilment.StockItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The scripted workload: a catalogue of products, several shopping clients placing orders
 * concurrently (every order buys the best-selling espresso beans), and a warehouse client that
 * restocks as orders come in. Every call is a command in a trace of its own.
 */
final class Workload {

  /** A product of the catalogue. */
  record Product(String sku, String name, int initialStock) {}

  /** The best seller: nearly every order reserves from it. */
  static final String BEST_SELLER = "espresso";

  static final List<Product> CATALOGUE =
      List.of(
          new Product(BEST_SELLER, "Espresso beans 1 kg", 120),
          new Product("grinder", "Burr grinder", 25),
          new Product("filters", "Paper filters ×100", 80),
          new Product("mug", "Stoneware mug", 60),
          new Product("kettle", "Gooseneck kettle", 20));

  private static final String[] CHANNELS = {"web", "mobile", "kiosk", "partner-api"};
  static final String WAREHOUSE = "warehouse";
  private static final int RESTOCK_EVERY_ORDERS = 25;

  /**
   * What the workload did.
   *
   * @param orders orders placed
   * @param confirmed orders confirmed
   * @param cancelled orders cancelled (out of stock, or changed mind)
   * @param commands commands sent
   * @param failures commands that failed
   * @param stockEvents events applied per stock item (sku → count)
   * @param firstOrders the first order of each shopper
   */
  record Result(
      int orders, int confirmed, int cancelled, long commands, long failures,
      Map<String, Integer> stockEvents, List<String> firstOrders) {}

  private final FulfilmentApp app;
  private final ExampleOptions options;
  private final Progress progress;
  private final String suffix;
  private final AtomicInteger ordersPlaced = new AtomicInteger();
  private final AtomicInteger confirmed = new AtomicInteger();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final AtomicLong commands = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Map<String, AtomicInteger> stockEvents = new ConcurrentHashMap<>();

  Workload(FulfilmentApp app, ExampleOptions options, Progress progress, String suffix) {
    this.app = app;
    this.options = options;
    this.progress = progress;
    this.suffix = suffix;
  }

  /** Returns the aggregate id of a catalogue SKU in this run. */
  String sku(String sku) {
    return sku + suffix;
  }

  /** Runs the workload and returns what it did. */
  Result run() throws InterruptedException {
    progress.phase("Registering " + CATALOGUE.size() + " products");
    for (Product product : CATALOGUE) {
      send(WAREHOUSE, new StockItem.RegisterProduct(sku(product.sku()), product.name(), product.initialStock()),
          product.sku());
    }
    int shoppers = options.shoppers();
    int total = shoppers * options.ordersPerShopper();
    progress.phase(shoppers + " shoppers place " + total + " orders concurrently; the warehouse restocks every "
        + RESTOCK_EVERY_ORDERS + " orders");
    progress.startOrders(total);
    List<String> firstOrders = Collections.synchronizedList(new ArrayList<>());
    ExecutorService clients = Executors.newFixedThreadPool(shoppers + 1, runnable -> {
      Thread thread = new Thread(runnable);
      thread.setDaemon(true);
      return thread;
    });
    AtomicBoolean shopping = new AtomicBoolean(true);
    try {
      List<Future<?>> shopperRuns = new ArrayList<>();
      for (int i = 0; i < shoppers; i++) {
        String client = CHANNELS[i % CHANNELS.length] + "-" + (i + 1);
        Random random = new Random(options.seed() * 31 + i);
        shopperRuns.add(clients.submit(() -> {
          Thread.currentThread().setName(client);
          for (int n = 1; n <= options.ordersPerShopper(); n++) {
            String orderId = client + "-" + n + suffix;
            if (n == 1) {
              firstOrders.add(orderId);
            }
            shop(client, orderId, random);
          }
          return null;
        }));
      }
      Future<?> warehouse = clients.submit(() -> {
        Thread.currentThread().setName(WAREHOUSE);
        restock(shopping, total);
        return null;
      });
      for (Future<?> run : shopperRuns) {
        await(run);
      }
      shopping.set(false);
      await(warehouse);
    } finally {
      clients.shutdownNow();
    }
    Map<String, Integer> events = new LinkedHashMap<>();
    for (Product product : CATALOGUE) {
      AtomicInteger count = stockEvents.get(product.sku());
      events.put(product.sku(), count == null ? 0 : count.get());
    }
    List<String> sortedFirst = new ArrayList<>(firstOrders);
    Collections.sort(sortedFirst);
    return new Result(ordersPlaced.get(), confirmed.get(), cancelled.get(), commands.get(), failures.get(), events,
        sortedFirst);
  }

  private static void await(Future<?> run) throws InterruptedException {
    try {
      run.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("a client failed", e.getCause());
    }
  }

  /** One order: place it, add and reserve each line, then confirm it or cancel it. */
  private void shop(String client, String orderId, Random random) {
    if (send(client, new CustomerOrder.PlaceOrder(orderId, client + "-customer-" + (1 + random.nextInt(20))), null)
        == FAILED) {
      return;
    }
    ordersPlaced.incrementAndGet();
    List<Product> lines = new ArrayList<>();
    lines.add(CATALOGUE.get(0));
    List<Product> others = new ArrayList<>(CATALOGUE.subList(1, CATALOGUE.size()));
    Collections.shuffle(others, random);
    lines.addAll(others.subList(0, random.nextInt(3)));
    Map<Product, Integer> reserved = new LinkedHashMap<>();
    String rejected = null;
    for (Product product : lines) {
      int quantity = 1 + random.nextInt(3);
      send(client, new CustomerOrder.AddLine(orderId, sku(product.sku()), quantity), null);
      Object ok = send(client, new StockItem.ReserveStock(sku(product.sku()), orderId, quantity), product.sku());
      if (Boolean.TRUE.equals(ok)) {
        reserved.put(product, quantity);
      } else {
        rejected = product.sku();
        break;
      }
    }
    if (rejected == null && random.nextInt(10) > 0) {
      send(client, new CustomerOrder.ConfirmOrder(orderId), null);
      confirmed.incrementAndGet();
    } else {
      String reason = rejected != null ? "out of stock: " + rejected : "customer changed their mind";
      send(client, new CustomerOrder.CancelOrder(orderId, reason), null);
      for (Map.Entry<Product, Integer> line : reserved.entrySet()) {
        send(client, new StockItem.ReleaseStock(sku(line.getKey().sku()), orderId, line.getValue()),
            line.getKey().sku());
      }
      cancelled.incrementAndGet();
    }
    progress.orderDone(commands.get());
  }

  /** The warehouse: after every few orders, restock the best seller and one other product. */
  private void restock(AtomicBoolean shopping, int total) throws InterruptedException {
    int next = RESTOCK_EVERY_ORDERS;
    int round = 0;
    while (shopping.get() && next <= total) {
      if (ordersPlaced.get() < next) {
        Thread.sleep(1);
        continue;
      }
      send(WAREHOUSE, new StockItem.Restock(sku(BEST_SELLER), 40), BEST_SELLER);
      Product other = CATALOGUE.get(1 + round % (CATALOGUE.size() - 1));
      send(WAREHOUSE, new StockItem.Restock(sku(other.sku()), 15), other.sku());
      round++;
      next += RESTOCK_EVERY_ORDERS;
    }
  }

  private static final Object FAILED = new Object();

  private Object send(String client, Object command, @Nullable String stockSku) {
    commands.incrementAndGet();
    try {
      Object result = app.send(client, command);
      if (stockSku != null) {
        stockEvents.computeIfAbsent(stockSku, s -> new AtomicInteger()).incrementAndGet();
      }
      return result;
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      progress.warn(client + ": " + command.getClass().getSimpleName() + " failed: " + e.getMessage());
      return FAILED;
    }
  }
}
