package io.tracefold.axon.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracefold.axon.provenance.Provenance;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * When the provenance API and the {@code tracefold} endpoint are declared: the API always (with
 * Axon), the endpoint only when Actuator is present and the endpoint exposed, like Boot's own
 * sensitive endpoints; settings validated at start-up.
 */
class TracefoldEndpointAutoConfigurationTest {

  private static WebApplicationContextRunner runner() {
    return new WebApplicationContextRunner()
        .withUserConfiguration(ShopApplication.Axon.class, ShopApplication.Telemetry.class)
        .withPropertyValues(ShopApplication.PROPERTIES);
  }

  @Test
  void endpoint_notExposed_isNotDeclaredButTheApiIs() {
    runner().run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(Provenance.class);
      assertThat(context).doesNotHaveBean(TracefoldEndpoint.class);
      assertThat(context.getBean(Provenance.class).aggregateTypes()).containsExactly("ShopOrder");
      assertThat(context.getBean(Provenance.class).entityTypes()).containsExactly("ShopOrderSummary");
    });
  }

  @Test
  void endpoint_exposedOverTheWeb_isDeclared() {
    runner().withPropertyValues("management.endpoints.web.exposure.include=tracefold").run(context ->
        assertThat(context).hasSingleBean(TracefoldEndpoint.class));
    // Switched off: "access" from Spring Boot 3.4, "enabled" before (the -Poldest matrix runs 3.3).
    String off = hasEndpointAccess() ? "management.endpoint.tracefold.access=NONE" : "management.endpoint.tracefold.enabled=false";
    runner().withPropertyValues("management.endpoints.web.exposure.include=*", off).run(context ->
        assertThat(context).doesNotHaveBean(TracefoldEndpoint.class));
  }

  @Test
  void endpoint_withoutActuatorOnTheClassPath_onlyTheApi() {
    runner().withClassLoader(new FilteredClassLoader(org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
        .withPropertyValues("management.endpoints.web.exposure.include=tracefold").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(Provenance.class);
          assertThat(context).doesNotHaveBean(TracefoldEndpoint.class);
        });
  }

  @Test
  void tracefoldDisabled_neitherApiNorEndpoint() {
    runner().withPropertyValues("tracefold.enabled=false", "management.endpoints.web.exposure.include=tracefold")
        .run(context -> {
          assertThat(context).doesNotHaveBean(Provenance.class);
          assertThat(context).doesNotHaveBean(TracefoldEndpoint.class);
        });
  }

  @Test
  void endpoint_storeFails_503WithoutTheCauseInTheAnswer() {
    TracefoldEndpoint endpoint = endpointOnStoreFailingWith(
        new IllegalStateException("FATAL: password authentication failed for user \"app\" at db.internal"));

    WebEndpointResponse<Object> json = endpoint.provenance("Order", "o-1", null, TracefoldEndpoint.Format.JSON);
    WebEndpointResponse<Object> html = endpoint.provenance("Order", "o-1", null, TracefoldEndpoint.Format.HTML);

    assertThat(json.getStatus()).isEqualTo(503);
    assertThat(json.getBody()).asString().contains("store-failed").doesNotContain("password").doesNotContain("db.internal");
    assertThat(html.getStatus()).isEqualTo(503);
    assertThat(html.getBody()).asString().contains("data-status=\"503\"").doesNotContain("password");
  }

  @Test
  void settings_boundAndInvalidOnesFailTheStartNamingTheProperty() {
    runner().withPropertyValues(
            "tracefold.provenance.trace-url-template=https://app.datadoghq.com/apm/trace/{traceId}",
            "tracefold.provenance.max-events-scanned=42")
        .run(context -> {
          Provenance provenance = context.getBean(Provenance.class);
          assertThat(provenance.traceLinks().template()).isEqualTo("https://app.datadoghq.com/apm/trace/{traceId}");
          assertThat(provenance.maxEventsScanned()).isEqualTo(42);
        });
    runner().withPropertyValues("tracefold.provenance.trace-url-template=javascript:alert({traceId})").run(context ->
        assertThat(context).getFailure().rootCause()
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageContaining("tracefold.provenance.trace-url-template")
            .hasMessageContaining("http://"));
    runner().withPropertyValues("tracefold.provenance.max-commands=0").run(context ->
        assertThat(context).getFailure().rootCause()
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageContaining("tracefold.provenance.max-commands"));
  }

  /** Returns an endpoint whose event store throws {@code failure} on every read. */
  private static TracefoldEndpoint endpointOnStoreFailingWith(RuntimeException failure) {
    InMemoryEventStorageEngine failing = new InMemoryEventStorageEngine() {
      @Override
      public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        throw failure;
      }
    };
    return new TracefoldEndpoint(Provenance.builder(EmbeddedEventStore.builder().storageEngine(failing).build()).build());
  }

  /** The store's own exception type in the test below: no other test's failures share it. */
  private static final class StoreDown extends IllegalStateException {
    StoreDown(String message) {
      super(message);
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void endpoint_storeKeepsFailing_stackTraceLoggedOnceThenOneLinePerRequest(CapturedOutput output) {
    TracefoldEndpoint endpoint = endpointOnStoreFailingWith(new StoreDown("connection refused: db.internal:5432"));

    for (int i = 0; i < 3; i++) {
      assertThat(endpoint.provenance("Order", "o-" + i, null, TracefoldEndpoint.Format.JSON).getStatus())
          .isEqualTo(503);
    }

    String log = output.getAll();
    String cause = "Caused by: " + StoreDown.class.getName();
    assertThat(log.split(java.util.regex.Pattern.quote(cause), -1)).as(log).hasSize(2); // one stack trace
    assertThat(log.split("could not answer \\(again", -1)).as(log).hasSize(3); // then one line each
    assertThat(log).contains("StoreDown: connection refused: db.internal:5432");
  }

  private static boolean hasEndpointAccess() {
    try {
      Class.forName("org.springframework.boot.actuate.endpoint.Access");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
