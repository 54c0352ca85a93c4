package io.trunkline.deploy.client;

/**
 * How calling a target ended.
 *
 * @param description what happened, for people; holds no secret and no response body
 * @param attempts how many calls were made
 */
public record CallOutcome(boolean succeeded, String description, int attempts) {
}
