/** The shop on Spring Boot with Axon's own {@code axon-tracing-opentelemetry} beside Tracefold. */
@NullMarked
package io.tracefold.examples.setup.axontracing;

import org.jspecify.annotations.NullMarked;
