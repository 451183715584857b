package io.tracefold.axon;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Test aggregate: a parcel registered in a region and scanned; every event carries the region, so
 * a read model keyed by region is fed by the events of many parcels (many aggregates).
 */
@TracedAggregate
public class Parcel {

  /** Registers a parcel in a region. */
  public record RegisterParcel(@TargetAggregateIdentifier String parcelId, String region) {}

  /** Scans the parcel {@code count} times, one event each. */
  public record ScanParcel(@TargetAggregateIdentifier String parcelId, int count) {}

  /** A parcel was registered in a region. */
  public record ParcelRegistered(String parcelId, String region) {}

  /** A parcel was scanned; {@code scan} counts from 1 per parcel. */
  public record ParcelScanned(String parcelId, String region, int scan) {}

  @AggregateIdentifier private String parcelId;
  private String region;
  private int scans;

  /** For Axon and Jackson. */
  public Parcel() {}

  @CommandHandler
  public Parcel(RegisterParcel command) {
    apply(new ParcelRegistered(command.parcelId(), command.region()));
  }

  @CommandHandler
  public void handle(ScanParcel command) {
    int base = scans;
    for (int i = 0; i < command.count(); i++) {
      apply(new ParcelScanned(parcelId, region, base + i + 1));
    }
  }

  @EventSourcingHandler
  void on(ParcelRegistered event) {
    this.parcelId = event.parcelId();
    this.region = event.region();
  }

  @EventSourcingHandler
  void on(ParcelScanned event) {
    scans = event.scan();
  }

  public int getScans() {
    return scans;
  }
}
