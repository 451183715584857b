package io.tracefold.core;

import java.util.Objects;

/**
 * Immutable limits on how a reconstruction span links to its contributors, in the manner of the
 * SDK's {@code SpanLimits}.
 *
 * <p>The default budget of 128 direct links matches the OpenTelemetry SDK's default
 * {@code maxNumberOfLinks}: a span never carries more links than the SDK would keep.
 */
public final class LinkLimits {

  /** The default direct-link budget: the OpenTelemetry SDK's default maximum links per span. */
  public static final int DEFAULT_MAX_DIRECT_LINKS = 128;

  /** The default number of attributes put on one link (within the SDK's default of 128). */
  public static final int DEFAULT_MAX_ATTRIBUTES_PER_LINK = 8;

  /**
   * The default number of contributors a lineage records without a lineage node over them (while
   * no sampled span could emit one): eight budgets.
   */
  public static final int DEFAULT_MAX_PENDING_CONTRIBUTORS = 1024;

  /** The most pending contributors a lineage may record; also the decoding bound of stored ones. */
  public static final int MAX_PENDING_CONTRIBUTORS = 16_384;

  private static final LinkLimits DEFAULT =
      new LinkLimits(
          DEFAULT_MAX_DIRECT_LINKS,
          OverflowPolicy.LINEAGE,
          DEFAULT_MAX_ATTRIBUTES_PER_LINK,
          DEFAULT_MAX_PENDING_CONTRIBUTORS);

  private final int maxDirectLinks;
  private final OverflowPolicy overflowPolicy;
  private final int maxAttributesPerLink;
  private final int maxPendingContributors;

  private LinkLimits(
      int maxDirectLinks, OverflowPolicy overflowPolicy, int maxAttributesPerLink, int maxPendingContributors) {
    this.maxDirectLinks = maxDirectLinks;
    this.overflowPolicy = overflowPolicy;
    this.maxAttributesPerLink = maxAttributesPerLink;
    this.maxPendingContributors = maxPendingContributors;
  }

  /** Returns the default limits: 128 direct links, lossless {@link OverflowPolicy#LINEAGE}. */
  public static LinkLimits getDefault() {
    return DEFAULT;
  }

  /** Returns a builder initialised with the default limits. */
  public static Builder builder() {
    return new Builder(DEFAULT);
  }

  /** Returns a builder initialised with these limits. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns the most links any one span emitted by Tracefold carries: the reconstruction span
   * itself and every lineage span.
   */
  public int getMaxDirectLinks() {
    return maxDirectLinks;
  }

  /** Returns what happens to contributors beyond {@link #getMaxDirectLinks()}. */
  public OverflowPolicy getOverflowPolicy() {
    return overflowPolicy;
  }

  /** Returns the most attributes Tracefold puts on a single link. */
  public int getMaxAttributesPerLink() {
    return maxAttributesPerLink;
  }

  /**
   * Returns the most contributors a lineage records that are not yet under an exported lineage node
   * (recorded by unsampled spans, or while a sampler drops lineage spans). Beyond it the oldest are
   * dropped and counted ({@link TracefoldAttributes#CONTEXTS_DROPPED}); a replayable stream stops
   * advancing its checkpoint instead, so nothing is dropped.
   */
  public int getMaxPendingContributors() {
    return maxPendingContributors;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LinkLimits)) {
      return false;
    }
    LinkLimits that = (LinkLimits) o;
    return maxDirectLinks == that.maxDirectLinks
        && maxAttributesPerLink == that.maxAttributesPerLink
        && maxPendingContributors == that.maxPendingContributors
        && overflowPolicy == that.overflowPolicy;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxDirectLinks, overflowPolicy, maxAttributesPerLink, maxPendingContributors);
  }

  @Override
  public String toString() {
    return "LinkLimits{maxDirectLinks=" + maxDirectLinks
        + ", overflowPolicy=" + overflowPolicy
        + ", maxAttributesPerLink=" + maxAttributesPerLink
        + ", maxPendingContributors=" + maxPendingContributors + '}';
  }

  /** Builder of {@link LinkLimits}; validates eagerly. */
  public static final class Builder {
    private int maxDirectLinks;
    private OverflowPolicy overflowPolicy;
    private int maxAttributesPerLink;
    private int maxPendingContributors;
    private boolean pendingSet;

    private Builder(LinkLimits from) {
      this.maxDirectLinks = from.maxDirectLinks;
      this.overflowPolicy = from.overflowPolicy;
      this.maxAttributesPerLink = from.maxAttributesPerLink;
      this.maxPendingContributors = from.maxPendingContributors;
    }

    /**
     * Sets the direct-link budget. A lineage tree needs a fan-out of at least two, so the budget
     * is at least 2.
     *
     * @throws IllegalArgumentException if {@code maxDirectLinks < 2}
     */
    public Builder setMaxDirectLinks(int maxDirectLinks) {
      checkArgument(maxDirectLinks >= 2, "maxDirectLinks must be at least 2, was %s", maxDirectLinks);
      this.maxDirectLinks = maxDirectLinks;
      return this;
    }

    /** Sets the overflow policy. */
    public Builder setOverflowPolicy(OverflowPolicy overflowPolicy) {
      this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
      return this;
    }

    /**
     * Sets the most attributes put on one link; Tracefold's link attributes are prioritised
     * (kind first, then sequence numbers, then type), so a small limit keeps the most useful ones.
     *
     * @throws IllegalArgumentException if {@code maxAttributesPerLink < 0}
     */
    public Builder setMaxAttributesPerLink(int maxAttributesPerLink) {
      checkArgument(
          maxAttributesPerLink >= 0,
          "maxAttributesPerLink must not be negative, was %s",
          maxAttributesPerLink);
      this.maxAttributesPerLink = maxAttributesPerLink;
      return this;
    }

    /**
     * Sets the most pending contributors a lineage records (see
     * {@link LinkLimits#getMaxPendingContributors()}).
     *
     * @throws IllegalArgumentException if not within 2 and {@link #MAX_PENDING_CONTRIBUTORS}
     */
    public Builder setMaxPendingContributors(int maxPendingContributors) {
      checkArgument(
          maxPendingContributors >= 2 && maxPendingContributors <= MAX_PENDING_CONTRIBUTORS,
          "maxPendingContributors must be within 2 and " + MAX_PENDING_CONTRIBUTORS + ", was %s",
          maxPendingContributors);
      this.maxPendingContributors = maxPendingContributors;
      this.pendingSet = true;
      return this;
    }

    /**
     * Returns the limits.
     *
     * @throws IllegalArgumentException if maxPendingContributors is below maxDirectLinks (a full
     *     lineage node could never be recorded)
     */
    public LinkLimits build() {
      if (!pendingSet && maxPendingContributors < maxDirectLinks) {
        // Not chosen by the caller: follow a larger budget (eight budgets, within the bound).
        maxPendingContributors = (int) Math.min(MAX_PENDING_CONTRIBUTORS, 8L * maxDirectLinks);
      }
      if (maxPendingContributors < maxDirectLinks) {
        throw new IllegalArgumentException(
            "maxPendingContributors (" + maxPendingContributors + ") must not be below maxDirectLinks ("
                + maxDirectLinks + ")");
      }
      return new LinkLimits(maxDirectLinks, overflowPolicy, maxAttributesPerLink, maxPendingContributors);
    }

    private static void checkArgument(boolean condition, String message, int value) {
      if (!condition) {
        throw new IllegalArgumentException(message.replace("%s", Integer.toString(value)));
      }
    }
  }
}
