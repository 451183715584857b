package io.tracefold.axon;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * Test projection: parcel events per region, keyed by the payload's {@code region}, so one
 * read-model entity is fed by the events of many parcels, which a multi-segment processor handles
 * in different segments (the sequencing policy is per aggregate).
 */
@TracedProjection(entityType = "Region", idProperty = "region")
@ProcessingGroup("regions")
public class RegionProjection {

  /** {@code parcelId#scan} of every event handled (0 for the registration). */
  final Set<String> handled = ConcurrentHashMap.newKeySet();
  /** Handler invocations, duplicates included. */
  final AtomicInteger calls = new AtomicInteger();

  @EventHandler
  void on(Parcel.ParcelRegistered event) {
    record(event.parcelId() + "#0");
  }

  @EventHandler
  void on(Parcel.ParcelScanned event) {
    record(event.parcelId() + "#" + event.scan());
  }

  private void record(String key) {
    handled.add(key);
    calls.incrementAndGet();
  }
}
