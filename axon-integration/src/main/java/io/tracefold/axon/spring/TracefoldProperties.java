package io.tracefold.axon.spring;

import io.tracefold.axon.AxonTracefold;
import io.tracefold.core.LinkLimits;
import io.tracefold.core.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of Tracefold's Spring Boot auto-configuration, under the prefix {@code tracefold}. They
 * are checked when the {@link AxonTracefold} bean is built, at startup; an invalid value fails the
 * start with a message naming the setting.
 */
@ConfigurationProperties(prefix = "tracefold")
public final class TracefoldProperties {

  /** Whether Tracefold's auto-configuration is active; false leaves Axon's own defaults. */
  private boolean enabled = true;
  /**
   * Which OpenTelemetry Tracefold emits through: AUTO (the application's bean, else the Java agent's
   * instance, else Spring Boot's auto-configured bean), BEAN (the OpenTelemetry bean), AGENT (the
   * OpenTelemetry Java agent's instance).
   */
  private OpenTelemetrySource openTelemetry = OpenTelemetrySource.AUTO;
  /** Most links per span (at least 2, default 128); not above the SDK's maxNumberOfLinks. */
  private int maxDirectLinks = LinkLimits.DEFAULT_MAX_DIRECT_LINKS;
  /** What happens beyond the link budget: LINEAGE (lossless, default), KEEP_FIRST_LOSSY, KEEP_LATEST_LOSSY. */
  private OverflowPolicy overflowPolicy = OverflowPolicy.LINEAGE;
  /** Baggage keys that may be persisted into event metadata (default: none). */
  private List<String> baggageAllowlist = new ArrayList<>();
  /** Whether Axon's metadata attribute provider may copy message metadata into span attributes. */
  private boolean copyMetadataToSpanAttributes;
  /**
   * Whether every published event gets a publish span of its own (default true); false: events
   * carry the context of the span that applied them, usually the command handler's.
   */
  private boolean eventPublishSpans = true;
  /** Aggregates whose lineage state is kept in memory (default 10000; 0 disables). */
  private int checkpointCacheSize = AxonTracefold.DEFAULT_CHECKPOINT_CACHE_SIZE;
  /** Bound of the checkpoint cache's estimated memory (default 64MB). */
  private DataSize checkpointCacheBytes = DataSize.ofBytes(AxonTracefold.DEFAULT_CHECKPOINT_CACHE_BYTES);
  /** Age after which an aggregate's remembered lineage is emitted afresh (default 24h); keep it inside trace retention. */
  private Duration lineageMaxAge = AxonTracefold.DEFAULT_LINEAGE_MAX_AGE;
  /** Most contributors recorded without an exported lineage node over them (default 1024, at least max-direct-links). */
  private int maxPendingContributors = LinkLimits.DEFAULT_MAX_PENDING_CONTRIBUTORS;

  /** Returns whether the auto-configuration is active ({@code tracefold.enabled}, default true). */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether the auto-configuration is active. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Returns which OpenTelemetry Tracefold emits through ({@code tracefold.open-telemetry}, default
   * {@code auto}).
   */
  public OpenTelemetrySource getOpenTelemetry() {
    return openTelemetry;
  }

  /** Sets which OpenTelemetry Tracefold emits through. */
  public void setOpenTelemetry(OpenTelemetrySource openTelemetry) {
    this.openTelemetry = openTelemetry;
  }

  /**
   * Returns the most direct links per span ({@code tracefold.max-direct-links}, default 128, at
   * least 2); must not exceed the SDK's {@code SpanLimits.maxNumberOfLinks}.
   */
  public int getMaxDirectLinks() {
    return maxDirectLinks;
  }

  /** Sets the most direct links per span. */
  public void setMaxDirectLinks(int maxDirectLinks) {
    this.maxDirectLinks = maxDirectLinks;
  }

  /**
   * Returns what happens beyond the link budget ({@code tracefold.overflow-policy}, default
   * {@code LINEAGE}, lossless).
   */
  public OverflowPolicy getOverflowPolicy() {
    return overflowPolicy;
  }

  /** Sets what happens beyond the link budget. */
  public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
    this.overflowPolicy = overflowPolicy;
  }

  /**
   * Returns the baggage keys that may be written into event metadata ({@code
   * tracefold.baggage-allowlist}, default none: event stores are durable).
   */
  public List<String> getBaggageAllowlist() {
    return baggageAllowlist;
  }

  /** Sets the baggage keys that may be written into event metadata. */
  public void setBaggageAllowlist(List<String> baggageAllowlist) {
    this.baggageAllowlist = baggageAllowlist;
  }

  /**
   * Returns whether Axon's metadata attribute provider may copy message metadata into span
   * attributes ({@code tracefold.copy-metadata-to-span-attributes}, default false).
   */
  public boolean isCopyMetadataToSpanAttributes() {
    return copyMetadataToSpanAttributes;
  }

  /** Sets whether message metadata may be copied into span attributes. */
  public void setCopyMetadataToSpanAttributes(boolean copyMetadataToSpanAttributes) {
    this.copyMetadataToSpanAttributes = copyMetadataToSpanAttributes;
  }

  /**
   * Returns whether every published event gets a publish span of its own ({@code
   * tracefold.event-publish-spans}, default true); when false, events carry the context of the
   * span that applied them (see {@code AxonTracefold.Builder#setEventPublishSpans}).
   */
  public boolean isEventPublishSpans() {
    return eventPublishSpans;
  }

  /** Sets whether every published event gets a publish span of its own. */
  public void setEventPublishSpans(boolean eventPublishSpans) {
    this.eventPublishSpans = eventPublishSpans;
  }

  /**
   * Returns how many aggregates' lineage checkpoints are kept in memory ({@code
   * tracefold.checkpoint-cache-size}, default 10,000; 0 disables them).
   */
  public int getCheckpointCacheSize() {
    return checkpointCacheSize;
  }

  /** Sets how many aggregates' lineage checkpoints are kept in memory. */
  public void setCheckpointCacheSize(int checkpointCacheSize) {
    this.checkpointCacheSize = checkpointCacheSize;
  }

  /**
   * Returns the bound of the checkpoint cache's estimated memory ({@code
   * tracefold.checkpoint-cache-bytes}, default 64MB).
   */
  public DataSize getCheckpointCacheBytes() {
    return checkpointCacheBytes;
  }

  /** Sets the bound of the checkpoint cache's estimated memory. */
  public void setCheckpointCacheBytes(DataSize checkpointCacheBytes) {
    this.checkpointCacheBytes = checkpointCacheBytes;
  }

  /**
   * Returns the age after which an aggregate's remembered lineage is emitted afresh ({@code
   * tracefold.lineage-max-age}, default 24h); keep it well inside the backend's trace retention.
   */
  public Duration getLineageMaxAge() {
    return lineageMaxAge;
  }

  /** Sets the age after which an aggregate's remembered lineage is emitted afresh. */
  public void setLineageMaxAge(Duration lineageMaxAge) {
    this.lineageMaxAge = lineageMaxAge;
  }

  /**
   * Returns the most contributors recorded without an exported lineage node over them ({@code
   * tracefold.max-pending-contributors}, default 1024, at least max-direct-links).
   */
  public int getMaxPendingContributors() {
    return maxPendingContributors;
  }

  /** Sets the most contributors recorded without an exported lineage node over them. */
  public void setMaxPendingContributors(int maxPendingContributors) {
    this.maxPendingContributors = maxPendingContributors;
  }

  /** Where the OpenTelemetry instance Tracefold emits through comes from ({@code tracefold.open-telemetry}). */
  public enum OpenTelemetrySource {
    /**
     * An {@code OpenTelemetry} bean of the application's (its own or a starter's); else, under the
     * OpenTelemetry Java agent, the agent's instance rather than a bean Spring Boot declared on its
     * own; else Spring Boot's bean; else the start fails.
     */
    AUTO,
    /** The application's {@code OpenTelemetry} bean, whoever declared it; the start fails without one. */
    BEAN,
    /** The OpenTelemetry Java agent's instance ({@code GlobalOpenTelemetry}); the start fails without the agent. */
    AGENT
  }
}
