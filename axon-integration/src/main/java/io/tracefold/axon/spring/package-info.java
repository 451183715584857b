/**
 * Spring Boot auto-configuration of Tracefold for Axon Framework 4:
 * {@link io.tracefold.axon.spring.TracefoldAutoConfiguration} declares each Tracefold component as
 * a bean that a user's bean of the same type (or name) replaces, configured by
 * {@link io.tracefold.axon.spring.TracefoldProperties} ({@code tracefold.*}).
 */
@NullMarked
package io.tracefold.axon.spring;

import org.jspecify.annotations.NullMarked;
