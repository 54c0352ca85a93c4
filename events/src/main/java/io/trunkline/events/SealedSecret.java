package io.trunkline.events;

/**
 * A secret as it travels in events: encrypted with AES-256-GCM under a key that only the services
 * that need the secret hold ({@link SecretSealing}). {@code keyId} names that key without revealing
 * it, {@code nonce} (12 bytes) and {@code ciphertext} (the encrypted UTF-8 text and its 16-byte tag)
 * are base64. Anyone may read or copy it; without the key it says nothing, and a changed byte, or
 * the seal moved to another repository or time, does not open.
 */
public record SealedSecret(String algorithm, String keyId, String nonce, String ciphertext) {

    /** The only algorithm so far: AES-256 in Galois/Counter Mode, 96-bit nonce, 128-bit tag. */
    public static final String A256GCM = "A256GCM";
}
