package io.trunkline.infra.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Signed JWTs (RS256, through jose4j): the local mode's admin token and the tests' tokens.
 * Roles go under a claim path as quarkus-oidc reads it ({@code realm_access/roles}: nested objects
 * separated by {@code /}).
 */
public final class Jwts {

    /** The issuer of the tokens local mode signs; the services check it in local mode. */
    public static final String LOCAL_ISSUER = "trunkline-local";
    /** The default audience the services expect. */
    public static final String DEFAULT_AUDIENCE = "trunkline";
    /** The default claim path of the roles: Keycloak's realm roles. */
    public static final String DEFAULT_ROLE_CLAIM = "realm_access/roles";

    private Jwts() {
    }

    /** What goes into a token. */
    public record Claims(String issuer, String audience, String subject, List<String> roles, String roleClaimPath,
            Instant issuedAt, Instant expiresAt) {

        public static Claims of(String issuer, String audience, String subject, List<String> roles, Duration ttl) {
            Instant now = Instant.now();
            return new Claims(issuer, audience, subject, roles, DEFAULT_ROLE_CLAIM, now, now.plus(ttl));
        }

        public Claims withIssuer(String value) {
            return new Claims(value, audience, subject, roles, roleClaimPath, issuedAt, expiresAt);
        }

        public Claims withAudience(String value) {
            return new Claims(issuer, value, subject, roles, roleClaimPath, issuedAt, expiresAt);
        }

        public Claims withRoleClaimPath(String value) {
            return new Claims(issuer, audience, subject, roles, value, issuedAt, expiresAt);
        }

        /** Issued an hour ago, expired ten minutes ago (beyond any clock skew allowance). */
        public Claims expired() {
            Instant now = Instant.now();
            return new Claims(issuer, audience, subject, roles, roleClaimPath, now.minus(Duration.ofHours(1)),
                    now.minus(Duration.ofMinutes(10)));
        }
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A compact JWS of {@code claims} signed with {@code key}, header {@code kid} = {@code keyId}. */
    public static String sign(Claims claims, PrivateKey key, String keyId) {
        JwtClaims payload = new JwtClaims();
        payload.setIssuer(claims.issuer());
        if (claims.audience() != null) {
            payload.setAudience(claims.audience());
        }
        payload.setSubject(claims.subject());
        payload.setClaim("preferred_username", claims.subject());
        payload.setIssuedAt(NumericDate.fromSeconds(claims.issuedAt().getEpochSecond()));
        payload.setExpirationTime(NumericDate.fromSeconds(claims.expiresAt().getEpochSecond()));
        payload.setJwtId(UUID.randomUUID().toString());
        String[] path = claims.roleClaimPath().split("/");
        Object roles = List.copyOf(claims.roles());
        for (int i = path.length - 1; i > 0; i--) {
            roles = Map.of(path[i], roles);
        }
        payload.setClaim(path[0], roles);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(keyId);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign the token", e);
        }
    }

    /** The JWK Set that publishes {@code key} as {@code keyId}. */
    public static String jwks(PublicKey key, String keyId) {
        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) key);
        jwk.setKeyId(keyId);
        jwk.setUse("sig");
        jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        return new JsonWebKeySet(jwk).toJson();
    }

    public static String publicKeyPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** The base64 body of a PEM key, as {@code quarkus.oidc.public-key} takes it. */
    public static String pemBody(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    public static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pemBody(pem))));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key", e);
        }
    }

    public static PrivateKey privateKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pemBody(pem))));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA private key (PKCS#8)", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
