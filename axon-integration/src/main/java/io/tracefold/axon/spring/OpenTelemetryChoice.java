package io.tracefold.axon.spring;

import io.opentelemetry.api.OpenTelemetry;
import io.tracefold.axon.spring.TracefoldProperties.OpenTelemetrySource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.type.MethodMetadata;

/**
 * Which {@link OpenTelemetry} Tracefold emits through, and why.
 *
 * <p>With {@code tracefold.open-telemetry=auto}: an {@code OpenTelemetry} bean of the application's
 * (its own, or a starter's such as the OpenTelemetry Spring Boot starter's) wins; else the
 * OpenTelemetry Java agent's instance, when the agent is attached, rather than a bean Spring Boot
 * declared on its own (Actuator's {@code OpenTelemetryAutoConfiguration} creates an SDK whenever
 * {@code opentelemetry-sdk} is on the class path, without an exporter unless one is configured);
 * else Spring Boot's bean; else none, and the start fails.
 */
final class OpenTelemetryChoice {

  private static final String SPRING_BOOT_PACKAGE = "org.springframework.boot.";

  /** Spring Boot Actuator's list of the exporters its own span processor exports to (Boot 3.2+). */
  static final String BOOT_SPAN_EXPORTERS = "org.springframework.boot.actuate.autoconfigure.tracing.SpanExporters";

  /** The instance Tracefold emits through. */
  final OpenTelemetry instance;
  /** Says which instance it is and why, for the start-up log. */
  final String description;
  /** Says why the instance exports nothing, when that can be told, else null. */
  final @Nullable String silence;

  private OpenTelemetryChoice(OpenTelemetry instance, String description, @Nullable String silence) {
    this.instance = instance;
    this.description = description;
    this.silence = silence;
  }

  /**
   * Returns the instance to use.
   *
   * @throws MissingOpenTelemetryException if there is none for {@code source}
   */
  static OpenTelemetryChoice choose(
      OpenTelemetrySource source,
      ObjectProvider<OpenTelemetry> beans,
      ConfigurableListableBeanFactory beanFactory,
      JavaAgent agent) {
    OpenTelemetry bean = source == OpenTelemetrySource.AGENT ? null : beans.getIfAvailable();
    String name = bean == null ? null : beanName(beanFactory, bean);
    String declaredBy = name == null ? null : declaringClass(beanFactory, name);
    boolean bootDefault = declaredBy != null && declaredBy.startsWith(SPRING_BOOT_PACKAGE);
    if (bean != null && (source == OpenTelemetrySource.BEAN || !bootDefault)) {
      String description = describeBean(name, declaredBy, bootDefault);
      OpenTelemetry fromAgent = source == OpenTelemetrySource.AUTO ? agent.openTelemetry() : null;
      if (fromAgent != null && fromAgent != bean && JavaAgent.bridged(bean) == null) {
        description += "; the OpenTelemetry Java agent is attached too, but its instance (GlobalOpenTelemetry) is"
            + " not that bean: declare no bean, or tracefold.open-telemetry=agent, to emit through the agent";
      }
      return new OpenTelemetryChoice(bean, description, silence(bean, bootDefault, beanFactory));
    }
    OpenTelemetry fromAgent = source == OpenTelemetrySource.BEAN ? null : agent.openTelemetry();
    if (fromAgent != null) {
      String description = "the OpenTelemetry Java agent's instance (GlobalOpenTelemetry)";
      if (bean != null) {
        description += " instead of " + describeBean(name, declaredBy, true)
            + (silence(bean) != null ? ", which exports nothing" : "")
            + " (tracefold.open-telemetry=bean would use that bean)";
      }
      return new OpenTelemetryChoice(fromAgent, description, agent.silencedBy());
    }
    if (bean != null) {
      return new OpenTelemetryChoice(bean, describeBean(name, declaredBy, true), silence(bean, bootDefault, beanFactory));
    }
    if (source == OpenTelemetrySource.AGENT) {
      throw new MissingOpenTelemetryException(
          "tracefold.open-telemetry=agent, but no OpenTelemetry Java agent is attached to this JVM"
              + " (or it does not bridge the application's OpenTelemetry API).");
    }
    if (source == OpenTelemetrySource.BEAN) {
      throw new MissingOpenTelemetryException(
          "tracefold.open-telemetry=bean, but the application has no io.opentelemetry.api.OpenTelemetry bean.");
    }
    throw new MissingOpenTelemetryException();
  }

  /** Logs the choice: one INFO line, and a WARN when the instance is known to export nothing. */
  void report(Logger logger) {
    try {
      logger.info("Tracefold emits through {} ({})", description, instance.getClass().getName());
      if (silence != null) {
        logger.warn("Tracefold: the OpenTelemetry instance it emits through exports nothing ({}), so no span of"
            + " Tracefold or Axon leaves this process. Configure an exporter (or, under the OpenTelemetry Java"
            + " agent, OTEL_TRACES_EXPORTER), or set tracefold.enabled=false.", silence);
      }
    } catch (RuntimeException | LinkageError e) {
      // Diagnostics only: never fail the start for them.
    }
  }

  /** Returns why an SDK exports nothing, if its description shows no span processor at all, else null. */
  static @Nullable String silence(OpenTelemetry instance) {
    try {
      return exportsNothing(String.valueOf(instance)) ? "its SDK has no span processor" : null;
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /**
   * Returns why a bean exports nothing, if that can be told, else null: no span processor at all, or
   * (for Spring Boot's own bean, which the Micrometer bridge set-up uses) Boot's span processor over
   * an empty list of exporters, as Boot builds it when no exporter is configured (no
   * {@code management.otlp.tracing.endpoint}, no {@code SpanExporter} bean).
   */
  static @Nullable String silence(OpenTelemetry instance, boolean bootBean, ConfigurableListableBeanFactory beanFactory) {
    String silence = silence(instance);
    if (silence != null || !bootBean) {
      return silence;
    }
    try {
      Class<?> exportersType =
          Class.forName(BOOT_SPAN_EXPORTERS, false, OpenTelemetryChoice.class.getClassLoader());
      Object exporters = beanFactory.getBeanProvider(exportersType).getIfAvailable();
      if (exporters instanceof Iterable<?> list && !list.iterator().hasNext()) {
        return "Spring Boot's span processor has no exporter: set management.otlp.tracing.endpoint,"
            + " or declare a SpanExporter bean";
      }
    } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
      // No Micrometer tracing auto-configuration (or not this Boot line): nothing to tell.
    }
    return null;
  }

  /** Returns whether an SDK's description shows no span processor at all. */
  static boolean exportsNothing(String description) {
    return description.contains("spanProcessor=NoopSpanProcessor");
  }

  private static String describeBean(@Nullable String name, @Nullable String declaredBy, boolean bootDefault) {
    String bean = "bean '" + name + "'" + (declaredBy == null ? "" : " (declared by " + declaredBy + ")");
    return bootDefault ? "Spring Boot's auto-configured " + bean : "the application's " + bean;
  }

  private static @Nullable String beanName(ConfigurableListableBeanFactory beanFactory, OpenTelemetry bean) {
    try {
      String[] names = beanFactory.getBeanNamesForType(OpenTelemetry.class);
      if (names.length == 1) {
        return names[0];
      }
      for (String name : names) {
        if (beanFactory.getBean(name) == bean) {
          return name;
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // Unknown name: the bean counts as the application's own.
    }
    return null;
  }

  /**
   * Returns the class whose factory method declares the bean (for an auto-configuration, Spring
   * Boot names the configuration bean after its class), or null.
   */
  private static @Nullable String declaringClass(ConfigurableListableBeanFactory beanFactory, String name) {
    try {
      if (!beanFactory.containsBeanDefinition(name)) {
        return null;
      }
      BeanDefinition definition = beanFactory.getBeanDefinition(name);
      if (definition instanceof AnnotatedBeanDefinition) {
        MethodMetadata method = ((AnnotatedBeanDefinition) definition).getFactoryMethodMetadata();
        if (method != null && method.getDeclaringClassName().startsWith(SPRING_BOOT_PACKAGE)) {
          return method.getDeclaringClassName();
        }
      }
      String factoryBean = definition.getFactoryBeanName();
      if (factoryBean != null && factoryBean.startsWith(SPRING_BOOT_PACKAGE)) {
        return factoryBean;
      }
      if (definition instanceof AnnotatedBeanDefinition) {
        MethodMetadata method = ((AnnotatedBeanDefinition) definition).getFactoryMethodMetadata();
        if (method != null) {
          return method.getDeclaringClassName();
        }
      }
      return null;
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }
}
