package io.tracefold.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.Test;

class TracefoldApiFloorTest {

  /** A Span type of an API before 1.37: no addLink. */
  interface OldSpan {
    void end();
  }

  @Test
  void requireApi_spanWithoutAddLink_failsAtConfigurationNamingBothVersions() {
    assertThatThrownBy(() -> Tracefold.requireApi(OldSpan.class, "1.30.0"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1.37.0")
        .hasMessageContaining("found 1.30.0")
        .hasMessageContaining("tracefold.enabled=false");
  }

  @Test
  void build_currentApi_passesAndNamesAVersion() {
    assertThatCode(() -> Tracefold.requireApi(Span.class, Tracefold.apiVersion())).doesNotThrowAnyException();
    assertThat(Tracefold.create(OpenTelemetry.noop())).isNotNull();
    assertThat(Tracefold.apiVersion()).isNotBlank();
  }
}
