package io.tracefold.examples.setup.axontracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's own OpenTelemetry: an SDK bean with every {@link SpanProcessor} bean, sampling
 * a ratio of new traces ({@code shop.tracing.sampling-ratio}, default 1.0) and following the parent's
 * decision otherwise; spans go to OTLP when {@code shop.otlp.endpoint} is set.
 */
@Configuration(proxyBeanMethods = false)
public class ShopTelemetry {

  /** Creates the configuration (Spring instantiates it). */
  public ShopTelemetry() {}

  /**
   * Returns the application's OpenTelemetry; Tracefold (and nothing else) emits through it.
   *
   * @param processors the span processors
   * @param ratio the share of new traces sampled
   * @return the SDK
   */
  @Bean(destroyMethod = "close")
  public OpenTelemetrySdk openTelemetry(
      ObjectProvider<SpanProcessor> processors, @Value("${shop.tracing.sampling-ratio:1.0}") double ratio) {
    SdkTracerProviderBuilder tracing =
        SdkTracerProvider.builder().setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(ratio)));
    processors.orderedStream().forEach(tracing::addSpanProcessor);
    return OpenTelemetrySdk.builder()
        .setTracerProvider(tracing.build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /**
   * Returns the processor exporting spans to OTLP over HTTP.
   *
   * @param endpoint the collector's traces endpoint, e.g. {@code http://localhost:4318/v1/traces}
   * @return the processor
   */
  @Bean
  @ConditionalOnProperty("shop.otlp.endpoint")
  public SpanProcessor otlpSpanProcessor(@Value("${shop.otlp.endpoint}") String endpoint) {
    return BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build()).build();
  }
}
