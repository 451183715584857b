package io.tracefold.axon;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event-handling component (a projection) whose read-model updates are traced: every
 * handled event gets a {@code Projection.update(<Class>)} span that links the event's own span
 * and reaches every earlier event that built the same read-model entity, through a small
 * per-entity lineage kept in the configured {@link ProjectionLineageStore}.
 *
 * <pre>{@code
 * @TracedProjection(entityType = "OrderSummary", idProperty = "orderId")
 * @ProcessingGroup("order-summaries")
 * class OrderSummaryProjection {
 *   @EventHandler void on(OrderPlaced event) { ... }
 * }
 * }</pre>
 *
 * <p>The update span is a root (its own trace, linked to the event's) whenever its parent would
 * otherwise be in the command's trace, so replays never join the original traces; replayed events
 * are marked {@code tracefold.replay=true}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TracedProjection {

  /** The read-model entity type, as an attribute; empty (default) uses the class's simple name. */
  String entityType() default "";

  /**
   * The payload property (record component, getter or field) holding the read-model entity id;
   * empty (default) uses the event's aggregate identifier. Events without an id are handled
   * untraced.
   */
  String idProperty() default "";

  /** The most direct links per span; {@code 0} (default) uses {@link AxonTracefold}'s limits. */
  int maxDirectLinks() default 0;
}
