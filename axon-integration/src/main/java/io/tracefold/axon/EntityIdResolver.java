package io.tracefold.axon;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.function.Function;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the read-model entity an event touches: a named payload property (record component,
 * {@code getX()}/{@code x()} method or field, looked up once per payload class), or the event's
 * aggregate identifier. Never throws: an event without an id is handled untraced.
 */
final class EntityIdResolver {

  private static final Logger LOGGER = LoggerFactory.getLogger("io.tracefold");
  private static final Function<Object, Object> NONE = payload -> null;

  private final String property;
  private final ClassValue<Function<Object, Object>> accessors =
      new ClassValue<>() {
        @Override
        protected Function<Object, Object> computeValue(Class<?> type) {
          try {
            Function<Object, Object> accessor = accessor(type, property);
            if (accessor == NONE) {
              // Once per payload type (a misspelt idProperty would otherwise leave a projection
              // untraced without a word); INFO: a projection may handle id-less events on purpose.
              LOGGER.info("Tracefold: payload type {} has no property '{}' (@TracedProjection idProperty);"
                  + " its events are handled untraced", type.getName(), property);
            }
            return accessor;
          } catch (RuntimeException | LinkageError e) {
            // e.g. a signature naming a class missing at run time
            LOGGER.warn("Tracefold: property '{}' of payload type {} cannot be read ({});"
                + " its events are handled untraced", property, type.getName(), e.toString());
            return NONE;
          }
        }
      };

  EntityIdResolver(String property) {
    this.property = property;
  }

  /** Returns whether the entity is the event's aggregate (no id property). */
  boolean isAggregateId() {
    return property.isEmpty();
  }

  @Nullable
  String resolve(EventMessage<?> event) {
    try {
      if (property.isEmpty()) {
        return event instanceof DomainEventMessage ? ((DomainEventMessage<?>) event).getAggregateIdentifier() : null;
      }
      Object payload = event.getPayload();
      if (payload == null) {
        return null;
      }
      Object id = accessors.get(payload.getClass()).apply(payload);
      return id == null ? null : id.toString();
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static Function<Object, Object> accessor(Class<?> type, String property) {
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        if (component.getName().equals(property)) {
          return invoking(component.getAccessor());
        }
      }
    }
    String getter = "get" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
    for (String name : new String[] {getter, property}) {
      try {
        Method method = type.getMethod(name);
        if (method.getParameterCount() == 0) {
          return invoking(method);
        }
      } catch (NoSuchMethodException e) {
        // try the next form
      }
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField(property);
        field.setAccessible(true);
        return payload -> {
          try {
            return field.get(payload);
          } catch (IllegalAccessException e) {
            return null;
          }
        };
      } catch (NoSuchFieldException | RuntimeException e) {
        // try the superclass
      }
    }
    return NONE;
  }

  private static Function<Object, Object> invoking(Method method) {
    try {
      method.setAccessible(true);
    } catch (RuntimeException e) {
      // public accessor of an accessible class: fine without
    }
    return payload -> {
      try {
        return method.invoke(payload);
      } catch (ReflectiveOperationException e) {
        return null;
      }
    };
  }
}
