package io.tracefold.examples.fulfilment;

import io.tracefold.axon.TracedProjection;
import io.tracefold.examples.fulfilment.StockItem.ProductRegistered;
import io.tracefold.examples.fulfilment.StockItem.ReservationRejected;
import io.tracefold.examples.fulfilment.StockItem.StockReleased;
import io.tracefold.examples.fulfilment.StockItem.StockReserved;
import io.tracefold.examples.fulfilment.StockItem.StockRestocked;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.jspecify.annotations.Nullable;

/**
 * The read model the shop's front end shows: stock levels per product, kept in memory. Traced
 * with {@link TracedProjection}: every update of a {@code StockLevel} entity is a
 * {@code Projection.update(StockLevelProjection)} span whose links reach every event that built
 * that entity.
 */
@TracedProjection(entityType = "StockLevel", idProperty = "sku")
@ProcessingGroup(StockLevelProjection.PROCESSING_GROUP)
public class StockLevelProjection {

  /** The processing group (and tracking processor) of this projection. */
  public static final String PROCESSING_GROUP = "stock-levels";

  /** Asks for the stock level of one product; answered with a {@link StockLevel} or null. */
  public record FindStockLevel(String sku) {}

  /** Asks for every stock level; answered with a list of {@link StockLevel}. */
  public record FindAllStockLevels() {}

  /**
   * A product's stock as the front end shows it.
   *
   * @param sku the product
   * @param name the product name
   * @param onHand physical stock
   * @param reserved units reserved by open orders
   * @param rejected reservations refused for want of stock
   * @param updates events applied to this entry
   */
  public record StockLevel(String sku, String name, int onHand, int reserved, int rejected, int updates) {

    /** Returns the units that can still be reserved. */
    public int available() {
      return onHand - reserved;
    }

    StockLevel with(int onHandDelta, int reservedDelta, int rejectedDelta) {
      return new StockLevel(
          sku, name, onHand + onHandDelta, reserved + reservedDelta, rejected + rejectedDelta, updates + 1);
    }
  }

  private final Map<String, StockLevel> levels = new ConcurrentHashMap<>();

  /** Creates an empty read model. */
  public StockLevelProjection() {}

  @EventHandler
  void on(ProductRegistered event) {
    levels.put(event.sku(), new StockLevel(event.sku(), event.name(), event.initialStock(), 0, 0, 1));
  }

  @EventHandler
  void on(StockRestocked event) {
    levels.computeIfPresent(event.sku(), (sku, level) -> level.with(event.quantity(), 0, 0));
  }

  @EventHandler
  void on(StockReserved event) {
    levels.computeIfPresent(event.sku(), (sku, level) -> level.with(0, event.quantity(), 0));
  }

  @EventHandler
  void on(ReservationRejected event) {
    levels.computeIfPresent(event.sku(), (sku, level) -> level.with(0, 0, 1));
  }

  @EventHandler
  void on(StockReleased event) {
    levels.computeIfPresent(event.sku(), (sku, level) -> level.with(0, -event.quantity(), 0));
  }

  @ResetHandler
  void reset() {
    levels.clear();
  }

  @QueryHandler
  @Nullable
  StockLevel handle(FindStockLevel query) {
    return levels.get(query.sku());
  }

  @QueryHandler
  List<StockLevel> handle(FindAllStockLevels query) {
    List<StockLevel> all = new ArrayList<>(levels.values());
    all.sort((a, b) -> a.sku().compareTo(b.sku()));
    return all;
  }
}
