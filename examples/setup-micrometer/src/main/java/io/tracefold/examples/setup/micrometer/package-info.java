/** The shop on Spring Boot with Micrometer Tracing's OpenTelemetry bridge. */
@NullMarked
package io.tracefold.examples.setup.micrometer;

import org.jspecify.annotations.NullMarked;
