package io.tracefold.axon;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.jspecify.annotations.Nullable;

/**
 * A message's metadata plus one or two entries it does not have, read once by {@link
 * MetaData#MetaData(Map)}. Axon's {@code andMetaData} merges into a {@code HashMap} that the new
 * {@link MetaData} then copies again; handing {@code MetaData} this view instead makes the merge a
 * single copy. Runs once per event and per command on the write path.
 */
final class AppendedMetaData extends AbstractMap<String, Object> {

  private final MetaData base;
  private final String key1;
  private final String value1;
  private final @Nullable String key2;
  private final @Nullable String value2;

  private AppendedMetaData(
      MetaData base, String key1, String value1, @Nullable String key2, @Nullable String value2) {
    this.base = base;
    this.key1 = key1;
    this.value1 = value1;
    this.key2 = key2;
    this.value2 = value2;
  }

  /**
   * Returns a copy of {@code message} whose metadata also maps {@code key1} to {@code value1} and,
   * if both are not null, {@code key2} to {@code value2}: the same as {@code
   * message.andMetaData(..)} of those entries.
   */
  @SuppressWarnings("unchecked")
  static <M extends Message<?>> M append(
      M message, String key1, String value1, @Nullable String key2, @Nullable String value2) {
    MetaData metaData = message.getMetaData();
    boolean two = key2 != null && value2 != null;
    String k2 = two ? key2 : null;
    String v2 = two ? value2 : null;
    if (metaData.isEmpty() || metaData.containsKey(key1) || (two && metaData.containsKey(key2))) {
      // Axon's merge: a single copy already when the metadata is empty, and it replaces entries.
      return axonMerge(message, key1, value1, k2, v2);
    }
    M appended = (M) message.withMetaData(new MetaData(new AppendedMetaData(metaData, key1, value1, k2, v2)));
    // A message type whose withMetaData drops the given metadata (Axon's own
    // LazyIdentifierDomainEventMessage does once its aggregate id is known) gets Axon's merge.
    return appended.getMetaData().containsKey(key1) ? appended : axonMerge(message, key1, value1, k2, v2);
  }

  /** Returns {@code message.andMetaData(..)} of the entries ({@code key2} null: the first only). */
  @SuppressWarnings("unchecked")
  private static <M extends Message<?>> M axonMerge(
      M message, String key1, String value1, @Nullable String key2, @Nullable String value2) {
    return (M) message.andMetaData(
        key2 == null || value2 == null ? Collections.singletonMap(key1, value1) : Map.of(key1, value1, key2, value2));
  }

  // HashMap's copy constructor, which MetaData uses, reads only size() and entrySet().

  @Override
  public int size() {
    return base.size() + (key2 == null ? 1 : 2);
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Entries();
      }

      @Override
      public int size() {
        return AppendedMetaData.this.size();
      }
    };
  }

  /** The base's entries, then the appended ones. */
  private final class Entries implements Iterator<Entry<String, Object>> {
    private final Iterator<Entry<String, Object>> baseEntries = base.entrySet().iterator();
    private int appended;

    @Override
    public boolean hasNext() {
      return baseEntries.hasNext() || appended < (key2 == null ? 1 : 2);
    }

    @Override
    public Entry<String, Object> next() {
      if (baseEntries.hasNext()) {
        return baseEntries.next();
      }
      int next = appended++;
      if (next == 0) {
        return new SimpleImmutableEntry<>(key1, value1);
      }
      if (next == 1 && key2 != null) {
        return new SimpleImmutableEntry<>(key2, value2);
      }
      throw new NoSuchElementException();
    }
  }
}
