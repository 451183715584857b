package io.tracefold.examples.fulfilment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tracefold.axon.TracedAggregate;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The stock of one product (SKU) in the warehouse: every order reserves from it, the warehouse
 * restocks it. A best-selling product collects an event from nearly every order, which is why this
 * aggregate crosses the 128-link budget and is snapshotted.
 */
@TracedAggregate
public class StockItem {

  /** Registers a product with its initial stock. */
  public record RegisterProduct(@TargetAggregateIdentifier String sku, String name, int initialStock) {}

  /** Adds {@code quantity} units delivered to the warehouse. */
  public record Restock(@TargetAggregateIdentifier String sku, int quantity) {}

  /** Reserves {@code quantity} units for an order; the handler returns whether it succeeded. */
  public record ReserveStock(@TargetAggregateIdentifier String sku, String orderId, int quantity) {}

  /** Returns the units an order had reserved (the order was cancelled). */
  public record ReleaseStock(@TargetAggregateIdentifier String sku, String orderId, int quantity) {}

  /** A product was registered. */
  public record ProductRegistered(String sku, String name, int initialStock) {}

  /** Units were added; {@code onHand} is the new physical stock. */
  public record StockRestocked(String sku, int quantity, int onHand) {}

  /** Units were reserved for an order; {@code available} is what is left to reserve. */
  public record StockReserved(String sku, String orderId, int quantity, int available) {}

  /** A reservation was refused for want of stock. */
  public record ReservationRejected(String sku, String orderId, int quantity, int available) {}

  /** Reserved units were returned. */
  public record StockReleased(String sku, String orderId, int quantity, int available) {}

  @AggregateIdentifier private String sku;
  private String name;
  private int onHand;
  private int reserved;
  private int reservations;

  /** For Axon and Jackson (snapshots). */
  public StockItem() {}

  /** Handles {@link RegisterProduct}. */
  @CommandHandler
  public StockItem(RegisterProduct command) {
    if (command.initialStock() < 0) {
      throw new IllegalArgumentException("initial stock must not be negative");
    }
    apply(new ProductRegistered(command.sku(), command.name(), command.initialStock()));
  }

  @CommandHandler
  void handle(Restock command) {
    apply(new StockRestocked(sku, command.quantity(), onHand + command.quantity()));
  }

  @CommandHandler
  boolean handle(ReserveStock command) {
    int available = available();
    if (command.quantity() > available) {
      apply(new ReservationRejected(sku, command.orderId(), command.quantity(), available));
      return false;
    }
    apply(new StockReserved(sku, command.orderId(), command.quantity(), available - command.quantity()));
    return true;
  }

  @CommandHandler
  void handle(ReleaseStock command) {
    apply(new StockReleased(sku, command.orderId(), command.quantity(), available() + command.quantity()));
  }

  @EventSourcingHandler
  void on(ProductRegistered event) {
    this.sku = event.sku();
    this.name = event.name();
    this.onHand = event.initialStock();
  }

  @EventSourcingHandler
  void on(StockRestocked event) {
    onHand += event.quantity();
  }

  @EventSourcingHandler
  void on(StockReserved event) {
    reserved += event.quantity();
    reservations++;
  }

  @EventSourcingHandler
  void on(StockReleased event) {
    reserved -= event.quantity();
    reservations--;
  }

  private int available() {
    return onHand - reserved;
  }

  /** Returns the SKU. */
  public String getSku() {
    return sku;
  }

  /** Returns the product name. */
  public String getName() {
    return name;
  }

  /** Returns the physical stock. */
  public int getOnHand() {
    return onHand;
  }

  /** Returns the units reserved by open orders. */
  public int getReserved() {
    return reserved;
  }

  /** Returns the number of reservations held. */
  public int getReservations() {
    return reservations;
  }
}
