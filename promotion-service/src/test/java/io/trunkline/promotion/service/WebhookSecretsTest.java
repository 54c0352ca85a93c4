package io.trunkline.promotion.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.EventCodec;
import io.trunkline.events.RepositoryWebhookSecretChanged;
import io.trunkline.events.SecretSealing;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TopicProbe;
import io.trunkline.promotion.PromotionTestResources;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Repository webhook secrets on the real broker and database: each configuration change puts the name's secret,
 * sealed with the key webhook-ingest has, on the compacted {@code trunkline.repository-secrets} (as webhook-ingest's
 * {@code SecretRecords} contract shows), never in clear there, in the database, the API or the audit log.
 */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class WebhookSecretsTest {

    /** {@code %test.trunkline.secrets.key}, as webhook-ingest's tests have it too. */
    private static final SecretSealing.Key KEY =
            SecretSealing.Key.fromBase64("dHJ1bmtsaW5lLXRlc3Qtc2VjcmV0cy1rZXktMzJieXQ=");
    /** {@code %test.trunkline.secrets.previous-keys}: a key being rotated out. */
    private static final SecretSealing.Key PREVIOUS_KEY =
            SecretSealing.Key.fromBase64("dHJ1bmtsaW5lLW9sZC1zZWNyZXRzLWtleS0zMmJ5dGU=");
    private static final String CONFIG = """
            { %s "environments": [ { "name": "staging", "trigger": "trunk",
                "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } } ] }""";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    WebhookSecrets webhookSecrets;

    @Inject
    EntityManager entityManager;

    private TopicProbe probe;
    private TopicProbe.Recording secrets;

    @BeforeEach
    void recordTopic() {
        probe = new TopicProbe(TestServers.get().bootstrapServers());
        secrets = probe.record(Topics.REPOSITORY_SECRETS);
    }

    @AfterEach
    void stopRecording() {
        probe.close();
    }

    @Test
    void everyChangePublishesTheSecretSealedAndNeverInClear() {
        String slug = "shop-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/repositories/acme/" + slug;
        String first = "first-own-webhook-secret-" + UUID.randomUUID();
        String second = "second-own-webhook-secret-" + UUID.randomUUID();

        given().contentType(ContentType.JSON).body(CONFIG.formatted(secretField(first))).put(path)
                .then().statusCode(201).body("webhookSecretSet", equalTo(true)).body(not(containsString(first)));
        assertThat(openedAfter("acme/" + slug, 0, first)).isEqualTo(first);
        assertNotStoredInClear(slug, first);

        given().contentType(ContentType.JSON).body(CONFIG.formatted(secretField(second))).put(path)
                .then().statusCode(200).body(not(containsString(second)));
        assertThat(openedAfter("acme/" + slug, 1, second)).isEqualTo(second);

        // a replacement without a secret keeps it, and says so again
        given().contentType(ContentType.JSON).body(CONFIG.formatted("")).put(path).then().statusCode(200);
        assertThat(openedAfter("acme/" + slug, 2, second)).isEqualTo(second);

        given().delete(path + "/webhook-secret").then().statusCode(204);
        given().get(path).then().statusCode(200).body("webhookSecretSet", equalTo(false));
        assertThat(openedAfter("acme/" + slug, 3, second)).isEmpty();

        given().contentType(ContentType.JSON).body(CONFIG.formatted(secretField(first))).put(path).then().statusCode(200);
        assertThat(openedAfter("acme/" + slug, 4, first)).isEqualTo(first);
        given().delete(path).then().statusCode(204);
        assertThat(openedAfter("acme/" + slug, 5, first)).isEmpty();

        given().get("/api/audit?repository=acme/" + slug).then().statusCode(200)
                .body(not(containsString(first))).body(not(containsString(second)));
        given().delete(path + "/webhook-secret").then().statusCode(404);
    }

    @Test
    void oneNameHasOneSecretWhateverTheProvider() {
        String slug = "both-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/repositories/ACME/" + slug;
        String secret = "shared-webhook-secret-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(CONFIG.formatted(secretField(secret))).put(path)
                .then().statusCode(201);
        assertThat(openedAfter("ACME/" + slug, 0, secret)).isEqualTo(secret);

        given().contentType(ContentType.JSON).body(CONFIG.formatted(secretField("another-webhook-secret-value")))
                .put(path + "?provider=bitbucket-data-center")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:trunkline:problem:webhook-secret-conflict"))
                .body(not(containsString("another-webhook-secret-value"))).body(not(containsString(secret)));
        given().contentType(ContentType.JSON).body(CONFIG.formatted("")).put(path + "?provider=bitbucket-data-center")
                .then().statusCode(201);
        assertThat(openedAfter("ACME/" + slug, 1, secret)).isEqualTo(secret);

        // the Data Center repository's configuration going does not take the Cloud one's secret away
        given().delete(path + "?provider=bitbucket-data-center").then().statusCode(204);
        assertThat(openedAfter("ACME/" + slug, 2, secret)).isEqualTo(secret);
    }

    @Test
    void secretsInClearFromAnEarlierVersionOrUnderAPreviousKeyAreSealedAgainAndPublished() {
        String plainSlug = "plain-" + UUID.randomUUID().toString().substring(0, 8);
        String rotatedSlug = "rotated-" + UUID.randomUUID().toString().substring(0, 8);
        String plain = "stored-in-clear-secret-" + UUID.randomUUID();
        String rotated = "sealed-with-old-key-" + UUID.randomUUID();
        Instant sealedAt = Instant.parse("2026-01-02T03:04:05.123456Z");
        var oldSeal = SecretSealing.seal(PREVIOUS_KEY, "acme", rotatedSlug, sealedAt, rotated);
        QuarkusTransaction.requiringNew().run(() -> {
            insert(plainSlug, "webhook_secret_plain", "?2").setParameter(2, plain).executeUpdate();
            insert(rotatedSlug, "webhook_secret_algorithm, webhook_secret_key_id, webhook_secret_nonce, "
                    + "webhook_secret_ciphertext, webhook_secret_sealed_at", "?2, ?3, ?4, ?5, ?6")
                    .setParameter(2, oldSeal.algorithm()).setParameter(3, oldSeal.keyId())
                    .setParameter(4, oldSeal.nonce()).setParameter(5, oldSeal.ciphertext())
                    .setParameter(6, sealedAt.toString()).executeUpdate();
        });

        QuarkusTransaction.requiringNew().run(webhookSecrets::sealStoredWithCurrentKey);

        assertThat(openedAfter("acme/" + plainSlug, 0, plain)).isEqualTo(plain);
        assertThat(openedAfter("acme/" + rotatedSlug, 0, rotated)).isEqualTo(rotated);
        assertNotStoredInClear(plainSlug, plain);
        assertThat(keyIdOf(rotatedSlug)).isEqualTo(KEY.id());
        given().get("/api/repositories/acme/" + plainSlug).then().statusCode(200).body("webhookSecretSet", equalTo(true));
    }

    /** A row as written before this version (secret in clear) or under a previous key. */
    private jakarta.persistence.Query insert(String slug, String secretColumns, String secretValues) {
        return entityManager.createNativeQuery("INSERT INTO repository_config (provider, workspace, slug, trunk_branch, "
                        + "release_tag_pattern, environments, " + secretColumns + ") "
                        + "VALUES ('bitbucket-cloud', 'acme', ?1, 'main', 'release-*', '[]'::jsonb, " + secretValues + ")")
                .setParameter(1, slug);
    }

    private static String secretField(String secret) {
        return "\"webhookSecret\": \"" + secret + "\",";
    }

    /**
     * The secret the record after the first {@code seen} records of {@code key} carries, opened with the key
     * webhook-ingest has; checks that the record's bytes never hold {@code secret} in clear.
     */
    private String openedAfter(String key, int seen, String secret) {
        await().atMost(WAIT).until(() -> recordsOf(key).size() > seen);
        ConsumerRecord<String, String> record = recordsOf(key).get(seen);
        assertThat(record.value()).doesNotContain(secret);
        assertThat(record.headers().toString()).doesNotContain(secret);
        assertThat(CloudEventHeaders.read(record.headers()).type()).isEqualTo(RepositoryWebhookSecretChanged.TYPE);
        RepositoryWebhookSecretChanged event = (RepositoryWebhookSecretChanged) EventCodec
                .decode(RepositoryWebhookSecretChanged.TYPE, record.value()).orElseThrow();
        assertThat(event.workspace() + "/" + event.slug()).isEqualTo(key);
        assertThat(event.webhookSecret().keyId()).isEqualTo(KEY.id());
        try {
            return SecretSealing.open(List.of(KEY), event.workspace(), event.slug(), event.occurredAt(),
                    event.webhookSecret());
        } catch (SecretSealing.BrokenSealException e) {
            throw new AssertionError("the record of " + key + " does not open with the key", e);
        }
    }

    private List<ConsumerRecord<String, String>> recordsOf(String key) {
        return secrets.records().stream().filter(record -> key.equals(record.key())).toList();
    }

    private void assertNotStoredInClear(String slug, String secret) {
        String row = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                        "SELECT row_to_json(c)::text FROM repository_config c WHERE workspace = 'acme' AND slug = ?1")
                .setParameter(1, slug).getSingleResult().toString());
        assertThat(row).doesNotContain(secret).contains("\"webhook_secret_plain\":null")
                .contains("\"webhook_secret_key_id\":\"" + KEY.id() + "\"");
    }

    private String keyIdOf(String slug) {
        return QuarkusTransaction.requiringNew().call(() -> (String) entityManager.createNativeQuery(
                        "SELECT webhook_secret_key_id FROM repository_config WHERE workspace = 'acme' AND slug = ?1")
                .setParameter(1, slug).getSingleResult());
    }
}
