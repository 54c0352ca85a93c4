package io.trunkline.infra.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signed JWTs (RS256) with nothing but the JDK: the local mode's admin token and the tests' tokens.
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
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", keyId);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", claims.issuer());
        if (claims.audience() != null) {
            payload.put("aud", claims.audience());
        }
        payload.put("sub", claims.subject());
        payload.put("preferred_username", claims.subject());
        payload.put("iat", claims.issuedAt().getEpochSecond());
        payload.put("exp", claims.expiresAt().getEpochSecond());
        payload.put("jti", UUID.randomUUID().toString());
        putPath(payload, claims.roleClaimPath(), claims.roles());
        String signingInput = base64Url(json(header)) + "." + base64Url(json(payload));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWK Set that publishes {@code key} as {@code keyId}. */
    public static String jwks(PublicKey key, String keyId) {
        RSAPublicKey rsa = (RSAPublicKey) key;
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("kid", keyId);
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("n", unsigned(rsa.getModulus()));
        jwk.put("e", unsigned(rsa.getPublicExponent()));
        return json(Map.of("keys", List.of(jwk)));
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

    @SuppressWarnings("unchecked")
    private static void putPath(Map<String, Object> payload, String path, List<String> roles) {
        String[] parts = path.split("/");
        Map<String, Object> node = payload;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(parts[i], name -> new LinkedHashMap<String, Object>());
        }
        node.put(parts[parts.length - 1], new ArrayList<>(roles));
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** JSON of maps, lists, strings, numbers and booleans: all a token needs. */
    static String json(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> entry = entries.next();
                write(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
                if (entries.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            out.append('"');
            for (char c : value.toString().toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
