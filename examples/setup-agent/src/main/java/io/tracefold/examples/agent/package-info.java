/**
 * The Java agent set-up: a Spring Boot + Axon 4 application with {@code tracefold-axon} and no
 * {@code OpenTelemetry} bean, run under the OpenTelemetry Java agent.
 */
package io.tracefold.examples.agent;
