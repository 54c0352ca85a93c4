package io.trunkline.events;

/**
 * How a target authenticates. {@code token} is a reference ({@code env:NAME},
 * {@code file:/path}, {@code oidc:NAME}), never the secret itself, so it may travel in events.
 */
public record CredentialRef(String type, String token) {
}
