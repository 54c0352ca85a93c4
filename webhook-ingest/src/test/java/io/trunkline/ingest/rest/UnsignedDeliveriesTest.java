package io.trunkline.ingest.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.ingest.support.Deliveries.branch;
import static io.trunkline.ingest.support.Deliveries.commit;
import static io.trunkline.ingest.support.Deliveries.push;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.TestServers;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.WebhookSignature;
import io.trunkline.ingest.support.Deliveries;
import io.trunkline.ingest.support.SecretRecords;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With {@code TRUNKLINE_WEBHOOK_ALLOW_UNSIGNED=true} and no global secret, unsigned deliveries are
 * accepted, but never for a repository with a secret of its own.
 */
@QuarkusTest
@TestProfile(UnsignedDeliveriesTest.AllowUnsigned.class)
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class UnsignedDeliveriesTest {

    public static class AllowUnsigned implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trunkline.webhook.secret", "", "trunkline.webhook.allow-unsigned", "true");
        }
    }

    @Inject
    WebhookConfig config;

    private static ValidatableResponse send(byte[] body, String secret) {
        var request = given().contentType(ContentType.JSON).header("X-Event-Key", "repo:push")
                .header("X-Request-UUID", UUID.randomUUID().toString()).body(body);
        if (secret != null) {
            request.header("X-Hub-Signature", WebhookSignature.sign(secret, body));
        }
        return request.post("/webhooks/bitbucket").then();
    }

    @Test
    void unsignedDeliveriesPassExceptForARepositoryWithItsOwnSecret() {
        String repository = Deliveries.newRepository();
        send(push(repository, branch("main", commit(), commit())), null).statusCode(202);

        try (SecretRecords secrets = new SecretRecords(TestServers.get().bootstrapServers(),
                config.secretsKey().orElseThrow())) {
            secrets.publish(repository, "own-secret", Instant.now());
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                send(push(repository, branch("main", commit(), commit())), null).statusCode(401));
        send(push(repository, branch("main", commit(), commit())), "some-other-secret").statusCode(401);
        send(push(repository, branch("main", commit(), commit())), "own-secret").statusCode(202);
        send(push(Deliveries.newRepository(), branch("main", commit(), commit())), null).statusCode(202);
    }
}
