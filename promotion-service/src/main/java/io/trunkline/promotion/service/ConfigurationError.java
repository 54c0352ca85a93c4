package io.trunkline.promotion.service;

/** One invalid field of a repository configuration: where it is in the body, as clients write it, and what is wrong. */
public record ConfigurationError(String field, String message) {
}
