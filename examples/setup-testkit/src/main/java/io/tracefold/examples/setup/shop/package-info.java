/**
 * The shop every Spring Boot set-up example runs: a {@link io.tracefold.examples.setup.shop.Cart}
 * aggregate traced with {@code @TracedAggregate}, and {@link
 * io.tracefold.examples.setup.shop.CartSummaries}, a {@code @TracedProjection} on a tracking
 * processor with two segments. {@link io.tracefold.examples.setup.shop.ShopConfiguration} brings
 * both into an application.
 */
@NullMarked
package io.tracefold.examples.setup.shop;

import org.jspecify.annotations.NullMarked;
