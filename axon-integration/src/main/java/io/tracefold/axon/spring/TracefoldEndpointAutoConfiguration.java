package io.tracefold.axon.spring;

import io.tracefold.axon.ProjectionLineageStore;
import io.tracefold.axon.TracedProjection;
import io.tracefold.axon.provenance.Provenance;
import io.tracefold.axon.provenance.TraceLinks;
import org.axonframework.config.Configuration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Declares the provenance API ({@link Provenance}, bean {@code tracefoldProvenance}) on Axon's
 * configuration, knowing the application's aggregates and its {@code @TracedProjection} beans, and
 * — when Spring Boot Actuator is on the class path and the endpoint is exposed — the read-only
 * {@link TracefoldEndpoint} ({@code /actuator/tracefold/{type}/{id}}). Settings:
 * {@link TracefoldProvenanceProperties} ({@code tracefold.provenance.*}).
 */
@AutoConfiguration(
    after = {TracefoldAutoConfiguration.class, TracefoldSnapshotterAutoConfiguration.class},
    afterName = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
@ConditionalOnClass(name = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
@ConditionalOnProperty(prefix = "tracefold", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(TracefoldProvenanceProperties.class)
public final class TracefoldEndpointAutoConfiguration {

  /** Creates the auto-configuration (Spring instantiates it). */
  public TracefoldEndpointAutoConfiguration() {}

  /**
   * Returns the provenance API on Axon's event store, with the deep links and bounds of
   * {@code tracefold.provenance.*}.
   *
   * @throws InvalidConfigurationPropertyValueException if a {@code tracefold.provenance.*} setting is invalid
   */
  @Bean
  @ConditionalOnMissingBean
  public Provenance tracefoldProvenance(
      Configuration configuration,
      TracefoldProvenanceProperties properties,
      ObjectProvider<ProjectionLineageStore> lineageStore,
      ListableBeanFactory beans) {
    Provenance.Builder builder = Provenance.builder(configuration);
    String template = properties.getTraceUrlTemplate();
    if (template != null && !template.isBlank()) {
      try {
        builder.setTraceLinks(TraceLinks.template(template.strip()));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationPropertyValueException(
            "tracefold.provenance.trace-url-template", template, e.getMessage());
      }
    }
    try {
      builder.setMaxEventsScanned(properties.getMaxEventsScanned());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(
          "tracefold.provenance.max-events-scanned", properties.getMaxEventsScanned(), e.getMessage());
    }
    try {
      builder.setMaxCommands(properties.getMaxCommands());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(
          "tracefold.provenance.max-commands", properties.getMaxCommands(), e.getMessage());
    }
    try {
      builder.setMaxEventsPerCommand(properties.getMaxEventsPerCommand());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(
          "tracefold.provenance.max-events-per-command", properties.getMaxEventsPerCommand(), e.getMessage());
    }
    ProjectionLineageStore store = lineageStore.getIfUnique();
    if (store != null) {
      builder.setProjectionLineageStore(store);
      // Types from bean definitions: no bean (nor factory bean) is created early for this.
      for (String name : beans.getBeanDefinitionNames()) {
        if (beans.findAnnotationOnBean(name, TracedProjection.class, false) == null) {
          continue;
        }
        Class<?> type = beans.getType(name, false);
        if (type != null) {
          Class<?> user = ClassUtils.getUserClass(type);
          if (user.isAnnotationPresent(TracedProjection.class)) {
            builder.addProjection(user);
          }
        }
      }
    }
    return builder.build();
  }

  /** The Actuator endpoint, declared only when Actuator is present and the endpoint available. */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static final class Endpoint {

    /** Returns the {@code tracefold} endpoint. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = TracefoldEndpoint.class)
    TracefoldEndpoint tracefoldEndpoint(Provenance provenance) {
      return new TracefoldEndpoint(provenance);
    }
  }
}
