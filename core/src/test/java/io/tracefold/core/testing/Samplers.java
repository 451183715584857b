package io.tracefold.core.testing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/** Samplers of production set-ups, for tests (shared through the core test-jar). */
public final class Samplers {

  private Samplers() {}

  /**
   * Returns a sampler that drops every span named {@code name} (as rule-based samplers can) and
   * samples the rest by their parent, roots always.
   */
  public static Sampler droppingByName(String name) {
    Sampler delegate = Sampler.parentBased(Sampler.alwaysOn());
    return new Sampler() {
      @Override
      public SamplingResult shouldSample(
          Context parent, String traceId, String spanName, SpanKind kind, Attributes attributes, List<LinkData> links) {
        return spanName.equals(name)
            ? SamplingResult.drop()
            : delegate.shouldSample(parent, traceId, spanName, kind, attributes, links);
      }

      @Override
      public String getDescription() {
        return "DropByName{" + name + "}";
      }
    };
  }
}
