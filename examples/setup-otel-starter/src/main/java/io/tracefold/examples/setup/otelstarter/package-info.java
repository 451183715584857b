/** The shop on Spring Boot with the OpenTelemetry Spring Boot starter. */
@NullMarked
package io.tracefold.examples.setup.otelstarter;

import org.jspecify.annotations.NullMarked;
