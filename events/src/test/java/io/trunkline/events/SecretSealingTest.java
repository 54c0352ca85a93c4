package io.trunkline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretSealingTest {

    private static final SecretSealing.Key KEY = SecretSealing.Key.fromBase64(
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes()));
    private static final SecretSealing.Key OTHER = SecretSealing.Key.fromBase64(
            Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes()));
    private static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void opensWhatItSealedAndNothingElse() throws Exception {
        SealedSecret sealed = SecretSealing.seal(KEY, "acme", "shop", AT, "s3cret-of-shop");

        assertThat(SecretSealing.open(List.of(OTHER, KEY), "acme", "shop", AT, sealed)).isEqualTo("s3cret-of-shop");
        assertThat(sealed.ciphertext()).doesNotContain("s3cret");
        assertThat(sealed.keyId()).isEqualTo(KEY.id()).hasSize(16);
        assertThat(SecretSealing.seal(KEY, "acme", "shop", AT, "s3cret-of-shop").nonce()).isNotEqualTo(sealed.nonce());
    }

    @Test
    void aSealDoesNotOpenForAnotherRepositoryTimeOrKey() {
        SealedSecret sealed = SecretSealing.seal(KEY, "acme", "shop", AT, "s3cret");

        assertThatThrownBy(() -> SecretSealing.open(List.of(KEY), "acme", "other", AT, sealed))
                .isInstanceOf(SecretSealing.BrokenSealException.class);
        assertThatThrownBy(() -> SecretSealing.open(List.of(KEY), "acm", "eshop", AT, sealed))
                .isInstanceOf(SecretSealing.BrokenSealException.class);
        assertThatThrownBy(() -> SecretSealing.open(List.of(KEY), "acme", "shop", AT.plusSeconds(1), sealed))
                .isInstanceOf(SecretSealing.BrokenSealException.class);
        assertThatThrownBy(() -> SecretSealing.open(List.of(OTHER), "acme", "shop", AT, sealed))
                .isInstanceOf(SecretSealing.BrokenSealException.class).hasMessageContaining("not configured");
        byte[] changed = Base64.getDecoder().decode(sealed.ciphertext());
        changed[0] ^= 1;
        SealedSecret tampered = new SealedSecret(sealed.algorithm(), sealed.keyId(), sealed.nonce(),
                Base64.getEncoder().encodeToString(changed));
        assertThatThrownBy(() -> SecretSealing.open(List.of(KEY), "acme", "shop", AT, tampered))
                .isInstanceOf(SecretSealing.BrokenSealException.class);
        assertThatThrownBy(() -> SecretSealing.open(List.of(KEY), "acme", "shop", AT,
                new SealedSecret("A256GCM", KEY.id(), "bm90IGJhc2U2NA==", "%%%")))
                .isInstanceOf(SecretSealing.BrokenSealException.class);
    }

    @Test
    void noSecretSealsTheEmptyText() throws Exception {
        assertThat(SecretSealing.open(List.of(KEY), "acme", "shop", AT, SecretSealing.seal(KEY, "acme", "shop", AT, null)))
                .isEmpty();
    }

    @Test
    void keysMustBe32BytesAndNeverShowThemselves() {
        assertThatThrownBy(() -> SecretSealing.Key.fromBase64("c2hvcnQ=")).hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> SecretSealing.Key.fromBase64("not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThat(KEY.toString()).doesNotContain("0123456789abcdef").contains(KEY.id());
    }

    @Test
    void theEventIsKeyedByTheRepositoryAndItsJsonHoldsOnlyTheSeal() {
        SealedSecret sealed = new SealedSecret("A256GCM", "00112233aabbccdd", "AAAAAAAAAAAAAAAA", "BBBB");
        RepositoryWebhookSecretChanged event = new RepositoryWebhookSecretChanged(
                UUID.fromString("6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11"), AT, "acme", "shop", sealed);

        assertThat(event.partitionKey()).isEqualTo("acme/shop");
        assertThat(EventCodec.encode(event)).isEqualTo("{\"eventId\":\"6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11\","
                + "\"occurredAt\":\"2026-11-24T10:00:00Z\",\"workspace\":\"acme\",\"slug\":\"shop\","
                + "\"webhookSecret\":{\"algorithm\":\"A256GCM\",\"keyId\":\"00112233aabbccdd\","
                + "\"nonce\":\"AAAAAAAAAAAAAAAA\",\"ciphertext\":\"BBBB\"}}");
    }
}
