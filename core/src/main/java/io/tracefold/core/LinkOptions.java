package io.tracefold.core;

import io.opentelemetry.api.common.Attributes;
import java.util.Objects;

/**
 * Immutable options of one {@link Tracefold#link} call: the limits, whether the stream can be read
 * again, whether to seal the lineage, links the caller adds itself, and attributes for lineage
 * spans.
 */
public final class LinkOptions {

  private static final LinkOptions DEFAULT =
      new LinkOptions(LinkLimits.getDefault(), false, false, 0, Attributes.empty(), false);

  private final LinkLimits limits;
  private final boolean replayable;
  private final boolean seal;
  private final int reservedLinks;
  private final Attributes lineageAttributes;
  private final boolean newLinkedByCaller;

  private LinkOptions(
      LinkLimits limits,
      boolean replayable,
      boolean seal,
      int reservedLinks,
      Attributes lineageAttributes,
      boolean newLinkedByCaller) {
    this.limits = limits;
    this.replayable = replayable;
    this.seal = seal;
    this.reservedLinks = reservedLinks;
    this.lineageAttributes = lineageAttributes;
    this.newLinkedByCaller = newLinkedByCaller;
  }

  /** Returns the default options: default limits, a stream that is not read again, no sealing. */
  public static LinkOptions getDefault() {
    return DEFAULT;
  }

  /** Returns a builder initialised with the defaults. */
  public static Builder builder() {
    return new Builder(DEFAULT);
  }

  /** Returns a builder initialised with these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns the budget and overflow policy. */
  public LinkLimits getLimits() {
    return limits;
  }

  /**
   * Returns whether the events after the lineage's covered sequence are read again by the next
   * reconstruction (an aggregate's stream): then a lineage that would record more pending
   * contributors than allowed stops advancing instead of dropping any.
   */
  public boolean isReplayable() {
    return replayable;
  }

  /**
   * Returns whether the pending remainder is closed into a (partial) node too, so the returned
   * lineage hands everything on as peaks (snapshots, whose lineage travels in metadata). Only a
   * sampled span can seal; otherwise the remainder stays pending.
   */
  public boolean isSeal() {
    return seal;
  }

  /** Returns the direct links the caller adds itself (e.g. to a snapshot span), kept free in the budget. */
  public int getReservedLinks() {
    return reservedLinks;
  }

  /** Returns the attributes of every lineage span emitted (e.g. the entity type). */
  public Attributes getLineageAttributes() {
    return lineageAttributes;
  }

  /**
   * Returns whether the span already links the collector's new contributors itself (an event
   * processor's span links the event it processes): they are recorded, but not linked again
   * directly. Only for a stream that is not read again.
   */
  public boolean isNewLinkedByCaller() {
    return newLinkedByCaller;
  }

  /** Builder of {@link LinkOptions}; validates eagerly. */
  public static final class Builder {
    private LinkLimits limits;
    private boolean replayable;
    private boolean seal;
    private int reservedLinks;
    private Attributes lineageAttributes;
    private boolean newLinkedByCaller;

    private Builder(LinkOptions from) {
      this.limits = from.limits;
      this.replayable = from.replayable;
      this.seal = from.seal;
      this.reservedLinks = from.reservedLinks;
      this.lineageAttributes = from.lineageAttributes;
      this.newLinkedByCaller = from.newLinkedByCaller;
    }

    /** Sets the limits. */
    public Builder setLimits(LinkLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Sets whether the stream is read again by the next reconstruction (see {@link #isReplayable()}). */
    public Builder setReplayable(boolean replayable) {
      this.replayable = replayable;
      return this;
    }

    /** Sets whether to seal the lineage (see {@link #isSeal()}). */
    public Builder setSeal(boolean seal) {
      this.seal = seal;
      return this;
    }

    /**
     * Sets the direct links the caller adds itself.
     *
     * @throws IllegalArgumentException if {@code reservedLinks < 0}
     */
    public Builder setReservedLinks(int reservedLinks) {
      if (reservedLinks < 0) {
        throw new IllegalArgumentException("reservedLinks must not be negative, was " + reservedLinks);
      }
      this.reservedLinks = reservedLinks;
      return this;
    }

    /** Sets the attributes of every lineage span emitted. */
    public Builder setLineageAttributes(Attributes lineageAttributes) {
      this.lineageAttributes = Objects.requireNonNull(lineageAttributes, "lineageAttributes");
      return this;
    }

    /** Sets whether the span links the new contributors itself (see {@link #isNewLinkedByCaller()}). */
    public Builder setNewLinkedByCaller(boolean newLinkedByCaller) {
      this.newLinkedByCaller = newLinkedByCaller;
      return this;
    }

    /** Returns the options. */
    public LinkOptions build() {
      return new LinkOptions(limits, replayable, seal, reservedLinks, lineageAttributes, newLinkedByCaller);
    }
  }
}
