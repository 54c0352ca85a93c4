package io.trunkline.commons.messaging;

/**
 * Marks an exception that says a dependency is unavailable for now (a downstream API answering
 * 5xx or 429, a timeout): the work is retried until it goes through.
 */
public interface TransientFailure {
}
