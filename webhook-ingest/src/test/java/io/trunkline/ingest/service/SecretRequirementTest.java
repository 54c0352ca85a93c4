package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trunkline.events.SecretSealing;
import io.trunkline.ingest.persistence.StoredSecret;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRequirementTest {

    private static final SecretSealing.Key KEY = SecretSealing.Key.fromBase64(
            Base64.getEncoder().encodeToString(new byte[32]));
    private static final SecretSealing.Key OTHER_KEY = SecretSealing.Key.fromBase64(
            Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes()));
    private static final Instant AT = Instant.parse("2026-11-24T10:00:00.123456Z");
    private static final RepositoryName SHOP = new RepositoryName("acme", "shop");

    private static StoredSecret stored(String workspace, String slug, String secret) {
        return stored(KEY, workspace, slug, secret);
    }

    private static StoredSecret stored(SecretSealing.Key key, String workspace, String slug, String secret) {
        return new StoredSecret(workspace, slug, null, AT.toString(), SecretSealing.seal(key, workspace, slug, AT, secret));
    }

    private static SecretRequirement requirement(List<StoredSecret> stored) {
        return SecretRequirement.of(SHOP, stored, List.of(KEY));
    }

    @Test
    void anUnknownRepositoryOrOneWithoutOwnSecretMeetsTheGlobalRule() {
        assertThat(requirement(List.of())).isEqualTo(SecretRequirement.GLOBAL);
        assertThat(requirement(List.of(stored("acme", "shop", null)))).isEqualTo(SecretRequirement.GLOBAL);
    }

    @Test
    void theRepositoryNamedExactlyDecides() {
        assertThat(requirement(List.of(stored("ACME", "shop", "upper"), stored("acme", "shop", "exact"))))
                .isEqualTo(new SecretRequirement.Own(List.of("exact")));
        assertThat(requirement(List.of(stored("ACME", "shop", "upper"), stored("acme", "shop", null))))
                .isEqualTo(SecretRequirement.GLOBAL);
    }

    @Test
    void withoutExactNameEveryRepositoryDifferingInCaseDecides() {
        assertThat(requirement(List.of(stored("ACME", "shop", "upper"), stored("Acme", "Shop", "mixed"))))
                .isEqualTo(new SecretRequirement.Own(List.of("upper", "mixed")));
        assertThat(requirement(List.of(stored("ACME", "shop", null), stored("Acme", "Shop", "mixed"))))
                .isEqualTo(new SecretRequirement.Own(List.of("mixed")));
    }

    @Test
    void aSecretThatCannotBeOpenedMakesTheDeliveryUnverifiable() {
        assertThatThrownBy(() -> requirement(List.of(StoredSecret.unreadable("acme", "shop"))))
                .isInstanceOf(SecretRequirement.UnreadableSecretException.class);
        assertThatThrownBy(() -> requirement(List.of(stored(OTHER_KEY, "acme", "shop", "s"))))
                .isInstanceOf(SecretRequirement.UnreadableSecretException.class)
                .hasMessageContaining("not configured");
        assertThatThrownBy(() -> SecretRequirement.of(SHOP, List.of(stored("acme", "shop", "s")), List.of()))
                .isInstanceOf(SecretRequirement.UnreadableSecretException.class);
        // an unreadable variant in case does not matter when the exact name decides
        assertThat(requirement(List.of(StoredSecret.unreadable("ACME", "shop"), stored("acme", "shop", "exact"))))
                .isEqualTo(new SecretRequirement.Own(List.of("exact")));
    }

    @Test
    void itNeverShowsTheSecrets() {
        assertThat(new SecretRequirement.Own(List.of("s3cret")).toString()).doesNotContain("s3cret");
    }
}
