package io.trunkline.deploy.client;

/**
 * The secret a target's calls carry, taken at each call: fixed ({@code env:}, {@code file:}) or an
 * OAuth2 access token ({@code oidc:}) that is cached, refreshed before it expires, and renewed when
 * the target refuses it. {@link #toString()} names the reference, never the secret.
 */
public interface TargetCredential {

    /** The reference it comes from ({@code env:NAME}, {@code oidc:NAME}): safe in reasons and logs. */
    String reference();

    /** @throws CredentialUnavailableException when no secret can be had now (the token endpoint failed) */
    String secret();

    /**
     * The target refused {@code refused} (401): the next {@link #secret()} is a new one.
     *
     * @return false when the credential cannot change (a fixed secret), so calling again is pointless
     */
    boolean renew(String refused);

    static TargetCredential fixed(String reference, String secret) {
        return new Fixed(reference, secret);
    }

    /** A secret read once from the environment or a file. */
    record Fixed(String reference, String secret) implements TargetCredential {

        @Override
        public boolean renew(String refused) {
            return false;
        }

        @Override
        public String toString() {
            return "credential " + reference;
        }
    }
}
