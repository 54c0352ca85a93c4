package io.trunkline.deploy.client;

/**
 * No secret could be had for a credential right now (its token endpoint failed or did not answer):
 * the call is not made, and is tried again like one that could not connect. The message names the
 * reference, never a secret or the provider's answer.
 */
public class CredentialUnavailableException extends RuntimeException {

    public CredentialUnavailableException(String message) {
        super(message);
    }
}
