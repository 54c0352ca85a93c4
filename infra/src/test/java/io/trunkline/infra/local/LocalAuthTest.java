package io.trunkline.infra.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.infra.auth.Jwts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalAuthTest {

    @TempDir
    Path home;

    @Test
    void theKeyPairIsMadeOnceAndEveryStartSignsAnAdminTokenOnlyItsOwnerCanRead() throws Exception {
        LocalAuth.Prepared first = LocalAuth.prepare(home, "trunkline", "realm_access/roles", Duration.ofDays(30));
        LocalAuth.Prepared second = LocalAuth.prepare(home, "trunkline", "realm_access/roles", Duration.ofDays(30));

        assertThat(second.publicKeyPem()).isEqualTo(first.publicKeyPem());
        assertThat(second.adminToken()).isNotEqualTo(first.adminToken());
        assertThat(Files.readString(home.resolve("admin.token")).strip()).isEqualTo(second.adminToken());
        for (String file : new String[] {"admin.token", "auth/local-signing-key.pem", "auth/local-public-key.pem"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }

        String[] parts = second.adminToken().split("\\.");
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(Jwts.publicKey(second.publicKeyPem()));
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(signature.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"iss\":\"trunkline-local\"", "\"aud\":\"trunkline\"",
                "\"realm_access\":{\"roles\":[\"admin\"]}");
        long expiry = Long.parseLong(payload.replaceAll(".*\"exp\":(\\d+).*", "$1"));
        assertThat(Instant.ofEpochSecond(expiry)).isBetween(Instant.now().plus(Duration.ofDays(29)),
                Instant.now().plus(Duration.ofDays(31)));
        assertThat(second.publicKey()).doesNotContain("-----").doesNotContain("\n");
    }

    @Test
    void rolesGoUnderTheConfiguredClaimPath() {
        String token = Jwts.sign(Jwts.Claims.of("i", "a", "s", java.util.List.of("viewer"), Duration.ofMinutes(1))
                .withRoleClaimPath("groups"), Jwts.newKeyPair().getPrivate(), "k");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"groups\":[\"viewer\"]");
    }
}
