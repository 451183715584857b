package io.tracefold.axon.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracefold.axon.AxonTracefold;
import io.tracefold.core.Tracefold;
import io.tracefold.core.testing.ProvenanceGraph;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which OpenTelemetry Tracefold's Spring Boot auto-configuration emits through: the application's
 * bean, the Java agent's instance (simulated through the {@link JavaAgent} seam), Spring Boot's
 * exporter-less bean (declared as Spring Boot declares it: by a configuration bean named after
 * Actuator's auto-configuration class), none. Each case checks where the spans really go, and the
 * INFO/WARN lines.
 */
@ExtendWith(OutputCaptureExtension.class)
class OpenTelemetryChoiceTest {

  /** The bean name Spring Boot gives Actuator's OpenTelemetry auto-configuration (3.2 to 3.5). */
  private static final String BOOT_CONFIGURATION =
      "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration";

  @Test
  void agentAndNoBean_emitsThroughTheAgentsInstance(CapturedOutput output) {
    SimulatedAgent agent = new SimulatedAgent(null);
    ShopApplication.withoutOpenTelemetry().withBean(JavaAgent.class, () -> agent).run(context -> {
      assertThat(context).hasNotFailed();
      assertReachesItsEvents(context, agent.exporter);
      assertThat(output).contains("Tracefold emits through the OpenTelemetry Java agent's instance (GlobalOpenTelemetry)")
          .doesNotContain("instead of").doesNotContain("exports nothing");
    });
  }

  @Test
  void agentAndSpringBootsExporterLessBean_emitsThroughTheAgentNotThroughBootsBean(CapturedOutput output) {
    SimulatedAgent agent = new SimulatedAgent(null);
    ShopApplication.withoutOpenTelemetry()
        .withBean(BOOT_CONFIGURATION, BootLikeOpenTelemetry.class)
        .withBean(JavaAgent.class, () -> agent)
        .run(context -> {
          assertThat(context).hasNotFailed().hasBean("openTelemetry");
          assertReachesItsEvents(context, agent.exporter);
          assertThat(output)
              .contains("Tracefold emits through the OpenTelemetry Java agent's instance (GlobalOpenTelemetry)"
                  + " instead of Spring Boot's auto-configured bean 'openTelemetry' (declared by " + BOOT_CONFIGURATION
                  + "), which exports nothing (tracefold.open-telemetry=bean would use that bean)")
              .doesNotContain("WARN");
        });
  }

  @Test
  void springBootsExporterLessBeanWithoutAgent_isUsedAndAWarningSaysNothingIsExported(CapturedOutput output) {
    ShopApplication.withoutOpenTelemetry()
        .withBean(BOOT_CONFIGURATION, BootLikeOpenTelemetry.class)
        .withBean(JavaAgent.class, () -> new SimulatedAgent(null).detached())
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertEmitsThrough(context, context.getBean("openTelemetry"));
          assertThat(output)
              .contains("Tracefold emits through Spring Boot's auto-configured bean 'openTelemetry' (declared by "
                  + BOOT_CONFIGURATION + ")")
              .contains("exports nothing (its SDK has no span processor)");
        });
  }

  @Test
  void springBootsBeanUnderAgentWithOpenTelemetryBean_isUsed(CapturedOutput output) {
    SimulatedAgent agent = new SimulatedAgent(null);
    ShopApplication.withoutOpenTelemetry()
        .withBean(BOOT_CONFIGURATION, BootLikeOpenTelemetry.class)
        .withBean(JavaAgent.class, () -> agent)
        .withPropertyValues("tracefold.open-telemetry=bean")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertEmitsThrough(context, context.getBean("openTelemetry"));
          sendAndLoad(context);
          assertThat(agent.exporter.getFinishedSpanItems()).isEmpty();
          assertThat(output).contains("Tracefold emits through Spring Boot's auto-configured bean 'openTelemetry'")
              .contains("exports nothing");
        });
  }

  @Test
  void applicationsBeanUnderAgent_winsAndTheLogSaysTheAgentIsAttachedToo(CapturedOutput output) {
    SimulatedAgent agent = new SimulatedAgent(null);
    ShopApplication.runner().withBean(JavaAgent.class, () -> agent).run(context -> {
      assertThat(context).hasNotFailed();
      assertReachesItsEvents(context, context.getBean(InMemorySpanExporter.class));
      assertThat(agent.exporter.getFinishedSpanItems()).isEmpty();
      assertThat(output).contains("Tracefold emits through the application's bean 'openTelemetry' (declared by "
              + ShopApplication.Telemetry.class.getName() + "); the OpenTelemetry Java agent is attached too");
    });
    // tracefold.open-telemetry=agent: the agent's instance although the application has a bean.
    ShopApplication.runner().withBean(JavaAgent.class, () -> agent).withPropertyValues("tracefold.open-telemetry=agent")
        .run(context -> {
          assertEmitsThrough(context, agent.instance);
          assertReachesItsEvents(context, agent.exporter);
        });
  }

  @Test
  void applicationsBeanThatIsTheAgentsInstance_isUsedWithoutRemark(CapturedOutput output) {
    SimulatedAgent agent = new SimulatedAgent(null);
    ShopApplication.withoutOpenTelemetry()
        .withBean(JavaAgent.class, () -> agent)
        .withBean("agentOpenTelemetry", OpenTelemetry.class, () -> agent.instance)
        .run(context -> {
          assertEmitsThrough(context, agent.instance);
          assertThat(output).contains("Tracefold emits through the application's bean 'agentOpenTelemetry'")
              .doesNotContain("attached too");
        });
  }

  @Test
  void agentConfiguredToExportNothing_warns(CapturedOutput output) {
    SimulatedAgent agent = new SimulatedAgent("otel.traces.exporter=none");
    ShopApplication.withoutOpenTelemetry().withBean(JavaAgent.class, () -> agent).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(output).contains("exports nothing (otel.traces.exporter=none)");
    });
  }

  @Test
  void sourceThatIsNotThere_failsTheStartExplainingWhich() {
    ShopApplication.runner()
        .withBean(JavaAgent.class, () -> new SimulatedAgent(null).detached())
        .withPropertyValues("tracefold.open-telemetry=agent")
        .run(context -> {
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(MissingOpenTelemetryException.class)
              .hasMessageContaining("tracefold.open-telemetry=agent, but no OpenTelemetry Java agent is attached");
          FailureAnalysis analysis = new TracefoldFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis.getDescription()).contains("tracefold.open-telemetry=agent");
        });
    ShopApplication.withoutOpenTelemetry()
        .withBean(JavaAgent.class, () -> new SimulatedAgent(null))
        .withPropertyValues("tracefold.open-telemetry=bean")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOf(MissingOpenTelemetryException.class)
            .hasMessageContaining("tracefold.open-telemetry=bean, but the application has no"));
    ShopApplication.runner().withPropertyValues("tracefold.open-telemetry=sometimes").run(context ->
        assertThat(context.getStartupFailure()).hasStackTraceContaining("tracefold.open-telemetry"));
  }

  @Test
  void detectedAgent_inAJvmWithoutAgent_isAbsentAndLeavesGlobalOpenTelemetryUntouched() {
    assertThat(JavaAgent.detect().openTelemetry()).isNull();
    // Detection must not have fixed the global instance: the application may still set its own.
    OpenTelemetrySdk own = OpenTelemetrySdk.builder().build();
    try {
      GlobalOpenTelemetry.set(own);
      assertThat(GlobalOpenTelemetry.get().getTracerProvider()).isSameAs(own.getTracerProvider());
    } finally {
      GlobalOpenTelemetry.resetForTest();
      own.close();
    }
    assertThat(JavaAgent.bridged(OpenTelemetry.noop())).isNull();
  }

  @Test
  void silencedBy_readsTheAgentsExporterSettings() {
    assertThat(JavaAgent.silencedBy(null, null)).isNull();
    assertThat(JavaAgent.silencedBy("false", "otlp")).isNull();
    assertThat(JavaAgent.silencedBy(null, "none")).isEqualTo("otel.traces.exporter=none");
    assertThat(JavaAgent.silencedBy(null, " None , none")).isEqualTo("otel.traces.exporter=None , none");
    assertThat(JavaAgent.silencedBy(null, "none,logging-otlp")).isNull();
    assertThat(JavaAgent.silencedBy(null, "")).isNull();
    assertThat(JavaAgent.silencedBy("TRUE", "otlp")).isEqualTo("otel.sdk.disabled=true");
    assertThat(JavaAgent.silencedBy(null, "none,".repeat(1000))).isNull();
  }

  /**
   * Asserts that Tracefold's tracer comes from {@code instance} (an SDK hands out one tracer per
   * instrumentation name).
   */
  private static void assertEmitsThrough(ApplicationContext context, Object instance) {
    assertThat(context.getBean(AxonTracefold.class).tracefold().getTracer())
        .isSameAs(((OpenTelemetry) instance).tracerBuilder(Tracefold.INSTRUMENTATION_NAME).build());
  }

  /** Sends two commands (five events) and loads the order; checks the load reaches exactly its event spans in {@code exporter}. */
  private static void assertReachesItsEvents(ApplicationContext context, InMemorySpanExporter exporter) {
    sendAndLoad(context);
    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData rehydration = null;
    for (SpanData span : spans) {
      if (span.getName().startsWith("Repository.initializeState")) {
        rehydration = span;
      }
    }
    assertThat(rehydration).as("a rehydration span in " + spans).isNotNull();
    ProvenanceGraph.Reach reach = ProvenanceGraph.of(spans).reach(rehydration);
    assertThat(reach.dangling()).isEmpty();
    assertThat(reach.contributors()).hasSize(5).isEqualTo(new ShopApplication.Client(context).eventSpanKeys("c-1"));
  }

  private static void sendAndLoad(ApplicationContext context) {
    ShopApplication.Client client = new ShopApplication.Client(context);
    client.send(new ShopOrder.OpenOrder("c-1"));
    client.send(new ShopOrder.AddItems("c-1", 4));
    assertThat(client.load("c-1")).isEqualTo(4);
  }

  /** The OpenTelemetry Java agent, simulated: its instance is an SDK exporting to memory. */
  static final class SimulatedAgent implements JavaAgent {
    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final OpenTelemetrySdk instance = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    private final @Nullable String silencedBy;
    private boolean attached = true;

    SimulatedAgent(@Nullable String silencedBy) {
      this.silencedBy = silencedBy;
    }

    /** Returns this agent as absent. */
    SimulatedAgent detached() {
      attached = false;
      return this;
    }

    @Override
    public @Nullable OpenTelemetry openTelemetry() {
      return attached ? instance : null;
    }

    @Override
    public @Nullable String silencedBy() {
      return silencedBy;
    }
  }

  /**
   * Declares the bean as Spring Boot 3.5's Actuator does when {@code opentelemetry-sdk} is on the
   * class path and nothing provides a tracer provider: an SDK without span processor. Registered
   * under the auto-configuration's class name, as Spring Boot registers auto-configurations.
   */
  @Configuration(proxyBeanMethods = false)
  static class BootLikeOpenTelemetry {
    @Bean
    @ConditionalOnMissingBean(OpenTelemetry.class)
    OpenTelemetrySdk openTelemetry() {
      return OpenTelemetrySdk.builder().build();
    }
  }
}
