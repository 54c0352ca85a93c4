package io.trunkline.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens repository webhook secrets ({@link SealedSecret}): AES-256-GCM with a random
 * 96-bit nonce, under a 32-byte key that promotion-service and webhook-ingest read from their
 * configuration ({@code TRUNKLINE_SECRETS_KEY}, base64). The associated data binds a seal to its
 * repository and time, so that a sealed secret copied onto another repository, or an older one
 * replayed, does not open as such. Pure JDK: both sides use this one class.
 */
public final class SecretSealing {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretSealing() {
    }

    /** A sealing key; its {@code toString} never shows the key. */
    public static final class Key {

        private final byte[] bytes;
        private final String id;

        private Key(byte[] bytes) {
            this.bytes = bytes.clone();
            this.id = idOf(bytes);
        }

        /**
         * @param base64 32 random bytes, base64 ({@code openssl rand -base64 32})
         * @throws IllegalArgumentException not base64, or not 32 bytes; the message never holds the value
         */
        public static Key fromBase64(String base64) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(base64.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a secrets key must be base64");
            }
            if (bytes.length != KEY_BYTES) {
                throw new IllegalArgumentException("a secrets key must be " + KEY_BYTES + " bytes, base64 (openssl rand -base64 32)");
            }
            return new Key(bytes);
        }

        /** Names the key in a seal: the first 8 bytes of a SHA-256 of it, hex. */
        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return "SecretSealing.Key[" + id + "]";
        }

        private static String idOf(byte[] key) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update("trunkline-secrets-key-id\u0000".getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(Arrays.copyOf(digest.digest(key), 8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }
    }

    /** The seal cannot be opened: another key, another repository or time, or a changed byte. */
    public static final class BrokenSealException extends Exception {
        BrokenSealException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param secret the repository's own webhook secret; null or empty when it has none
     */
    public static SealedSecret seal(Key key, String workspace, String slug, Instant occurredAt, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, workspace, slug, occurredAt);
            byte[] ciphertext = cipher.doFinal((secret == null ? "" : secret).getBytes(StandardCharsets.UTF_8));
            Base64.Encoder base64 = Base64.getEncoder();
            return new SealedSecret(SealedSecret.A256GCM, key.id(), base64.encodeToString(nonce),
                    base64.encodeToString(ciphertext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * Opens {@code sealed} with the key it names among {@code keys}.
     *
     * @return the secret; empty text when the repository has no secret of its own
     * @throws BrokenSealException no such key, or the seal does not open for this repository and time
     */
    public static String open(Collection<Key> keys, String workspace, String slug, Instant occurredAt,
            SealedSecret sealed) throws BrokenSealException {
        if (sealed == null || !SealedSecret.A256GCM.equals(sealed.algorithm())) {
            throw new BrokenSealException("not an " + SealedSecret.A256GCM + " seal");
        }
        Key key = keys.stream().filter(candidate -> candidate.id().equals(sealed.keyId())).findFirst()
                .orElseThrow(() -> new BrokenSealException("sealed with key " + sealed.keyId() + ", which is not configured"));
        try {
            byte[] nonce = Base64.getDecoder().decode(Objects.requireNonNull(sealed.nonce()));
            byte[] ciphertext = Base64.getDecoder().decode(Objects.requireNonNull(sealed.ciphertext()));
            if (nonce.length != NONCE_BYTES) {
                throw new BrokenSealException("the nonce is not " + NONCE_BYTES + " bytes");
            }
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, workspace, slug, occurredAt);
            return new String(cipher.doFinal(ciphertext), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new BrokenSealException("the seal does not open for " + workspace + "/" + slug + " at " + occurredAt);
        }
    }

    private static Cipher cipher(int mode, Key key, byte[] nonce, String workspace, String slug, Instant occurredAt)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key.bytes, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData(workspace, slug, occurredAt));
        return cipher;
    }

    // length-prefixed, so that no two (workspace, slug, time) give the same bytes
    private static byte[] associatedData(String workspace, String slug, Instant occurredAt) {
        byte[][] parts = {"trunkline/webhook-secret/v1".getBytes(StandardCharsets.UTF_8),
                workspace.getBytes(StandardCharsets.UTF_8), slug.getBytes(StandardCharsets.UTF_8),
                occurredAt.toString().getBytes(StandardCharsets.UTF_8)};
        ByteBuffer buffer = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(part -> 4 + part.length).sum());
        for (byte[] part : parts) {
            buffer.putInt(part.length).put(part);
        }
        return buffer.array();
    }
}
