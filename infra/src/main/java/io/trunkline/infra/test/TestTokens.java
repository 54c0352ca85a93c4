package io.trunkline.infra.test;

import io.trunkline.infra.auth.Jwts;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Bearer tokens for tests, signed with a key pair made once per JVM. {@link OidcTestResource} publishes
 * its public key as the JWKS of a WireMock OIDC provider ({@link #ISSUER}); {@link #localModeEnvironment()}
 * starts a packaged service in local mode with it ({@link Jwts#LOCAL_ISSUER}).
 */
public final class TestTokens {

    /** The issuer {@link OidcTestResource}'s discovery document names. */
    public static final String ISSUER = "https://idp.trunkline.test/realms/trunkline";
    public static final String KEY_ID = "trunkline-test";
    public static final String AUDIENCE = Jwts.DEFAULT_AUDIENCE;

    private static final KeyPair KEYS = keys();
    private static final KeyPair OTHER_KEYS = Jwts.newKeyPair();

    private TestTokens() {
    }

    /**
     * The key pair is kept in a system property so that every class loader of the test JVM (Quarkus loads
     * test resources and tests apart) signs and publishes the same key.
     */
    private static KeyPair keys() {
        synchronized (System.class) {
            String privateKey = System.getProperty("test-keys.trunkline.signing-key");
            String publicKey = System.getProperty("test-keys.trunkline.public-key");
            if (privateKey == null || publicKey == null) {
                KeyPair pair = Jwts.newKeyPair();
                System.setProperty("test-keys.trunkline.signing-key", Jwts.privateKeyPem(pair.getPrivate()));
                System.setProperty("test-keys.trunkline.public-key", Jwts.publicKeyPem(pair.getPublic()));
                return pair;
            }
            return new KeyPair(Jwts.publicKey(publicKey), Jwts.privateKey(privateKey));
        }
    }

    /** Claims of a valid token from the test provider for {@code subject} with {@code roles}. */
    public static Jwts.Claims claims(String subject, String... roles) {
        return Jwts.Claims.of(ISSUER, AUDIENCE, subject, List.of(roles), Duration.ofMinutes(30));
    }

    /** A valid token of the test provider with {@code roles}, subject {@code test-<first role>}. */
    public static String token(String... roles) {
        return sign(claims("test-" + (roles.length == 0 ? "nobody" : roles[0]), roles));
    }

    public static String admin() {
        return token("admin");
    }

    public static String sign(Jwts.Claims claims) {
        return Jwts.sign(claims, KEYS.getPrivate(), KEY_ID);
    }

    /** Signed with another key under the same key id: the signature does not verify. */
    public static String signWithOtherKey(Jwts.Claims claims) {
        return Jwts.sign(claims, OTHER_KEYS.getPrivate(), KEY_ID);
    }

    public static String jwks() {
        return Jwts.jwks(KEYS.getPublic(), KEY_ID);
    }

    /** A token local mode accepts ({@link #localModeEnvironment()}): issuer {@value Jwts#LOCAL_ISSUER}. */
    public static String local(String... roles) {
        return sign(claims("local-" + (roles.length == 0 ? "nobody" : roles[0]), roles).withIssuer(Jwts.LOCAL_ISSUER));
    }

    /** The environment that starts a packaged service in local mode, trusting this JVM's test key. */
    public static Map<String, String> localModeEnvironment() {
        return Map.of("TRUNKLINE_AUTH_MODE", "local",
                "QUARKUS_OIDC_PUBLIC_KEY", Jwts.pemBody(Jwts.publicKeyPem(KEYS.getPublic())),
                "QUARKUS_OIDC_TOKEN_ISSUER", Jwts.LOCAL_ISSUER);
    }
}
