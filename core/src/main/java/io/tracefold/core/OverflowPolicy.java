package io.tracefold.core;

/**
 * What a reconstruction span does when its distinct contributors exceed the direct-link budget of
 * {@link LinkLimits#getMaxDirectLinks()}.
 */
public enum OverflowPolicy {
  /**
   * Lossless (the default): contributors beyond the budget are reached through child lineage
   * spans, each carrying at most the budget of links, arranged as a forest of logarithmic depth.
   */
  LINEAGE(false),
  /**
   * Lossy: links only the first contributors in stream order, up to the budget; the rest are
   * counted in {@link TracefoldAttributes#LINKS_DROPPED}.
   */
  KEEP_FIRST_LOSSY(true),
  /**
   * Lossy: links only the latest contributors in stream order, up to the budget; the rest are
   * counted in {@link TracefoldAttributes#LINKS_DROPPED}.
   */
  KEEP_LATEST_LOSSY(true);

  private final boolean lossy;

  OverflowPolicy(boolean lossy) {
    this.lossy = lossy;
  }

  /** Returns whether this policy drops contributors once the budget is exceeded. */
  public boolean isLossy() {
    return lossy;
  }
}
