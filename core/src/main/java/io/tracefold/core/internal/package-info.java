/**
 * Internal to Tracefold: the W3C trace-context codec shared by Tracefold's own modules. Not API:
 * anything here may change or disappear in any release; applications must not use it.
 */
@NullMarked
package io.tracefold.core.internal;

import org.jspecify.annotations.NullMarked;
