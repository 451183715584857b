package io.tracefold.axon;

import io.tracefold.core.OverflowPolicy;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event-sourced aggregate whose rehydrations and snapshots are traced with links to every
 * event span that built its state. Aggregates without it behave exactly as in plain Axon.
 *
 * <pre>{@code
 * @TracedAggregate
 * public class Order { ... }
 *
 * @TracedAggregate(maxDirectLinks = 32, overflowPolicy = OverflowPolicy.KEEP_LATEST_LOSSY)
 * public class Cart { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TracedAggregate {

  /**
   * The most direct links per span for this aggregate; {@code 0} (the default) uses the limits
   * configured on {@link AxonTracefold}. Values of 1 are invalid (a lineage tree needs fan-out 2).
   */
  int maxDirectLinks() default 0;

  /**
   * The overflow policy for this aggregate; empty (the default) uses the one configured on
   * {@link AxonTracefold}. At most one value.
   */
  OverflowPolicy[] overflowPolicy() default {};
}
