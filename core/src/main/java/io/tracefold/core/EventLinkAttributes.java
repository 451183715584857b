package io.tracefold.core;

import static io.tracefold.core.TracefoldAttributes.EVENT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.EVENT_TYPE;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND_EVENT;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of a link to an event span — {@code tracefold.link.kind=event}, the event's
 * sequence and its type, the first {@code count} of them — as one small immutable object: no array,
 * no sort, no boxing until a value is read. Links to pending contributors are made per
 * reconstruction, so their attributes are too.
 */
final class EventLinkAttributes implements Attributes {

  private final long sequence;
  private final @Nullable String type;
  private final int count;

  private EventLinkAttributes(long sequence, @Nullable String type, int count) {
    this.sequence = sequence;
    this.type = type;
    this.count = count;
  }

  /** Returns the attributes of a link to an event, within {@code maxAttributes}. */
  static Attributes of(long sequence, @Nullable String type, int maxAttributes) {
    int count = Math.min(maxAttributes, type == null ? 2 : 3);
    return count <= 0 ? Attributes.empty() : new EventLinkAttributes(sequence, type, count);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(AttributeKey<T> key) {
    if (key == null) {
      return null;
    }
    if (LINK_KIND.equals(key)) {
      return (T) LINK_KIND_EVENT;
    }
    if (count > 1 && EVENT_SEQUENCE.equals(key)) {
      return (T) Long.valueOf(sequence);
    }
    if (count > 2 && EVENT_TYPE.equals(key)) {
      return (T) type;
    }
    return null;
  }

  @Override
  public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
    consumer.accept(LINK_KIND, LINK_KIND_EVENT);
    if (count > 1) {
      consumer.accept(EVENT_SEQUENCE, sequence);
    }
    if (count > 2) {
      consumer.accept(EVENT_TYPE, type);
    }
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public boolean isEmpty() {
    return false;
  }

  @Override
  public Map<AttributeKey<?>, Object> asMap() {
    Map<AttributeKey<?>, Object> map = new LinkedHashMap<>(4);
    forEach(map::put);
    return Collections.unmodifiableMap(map);
  }

  @Override
  public AttributesBuilder toBuilder() {
    return Attributes.builder().putAll(this);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || (o instanceof Attributes && asMap().equals(((Attributes) o).asMap()));
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
