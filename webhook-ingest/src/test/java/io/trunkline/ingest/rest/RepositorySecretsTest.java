package io.trunkline.ingest.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.ingest.support.Deliveries.branch;
import static io.trunkline.ingest.support.Deliveries.commit;
import static io.trunkline.ingest.support.Deliveries.push;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.trunkline.events.RepositoryWebhookSecretChanged;
import io.trunkline.infra.test.Fixtures;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.TestServers;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.WebhookSignature;
import io.trunkline.ingest.support.Deliveries;
import io.trunkline.ingest.support.SecretRecords;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Repositories' own webhook secrets, learnt from records on {@code trunkline.repository-secrets}
 * produced here as promotion-service produces them: a repository with its own secret is verified
 * with it alone; an unknown one, or one whose secret was removed, with the global secret; a record
 * that cannot be read shuts its repository's deliveries out (503) rather than letting the global
 * secret in; no body gets around the repository's secret.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class RepositorySecretsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    WebhookConfig config;

    private SecretRecords secrets;
    private String repository;

    @BeforeEach
    void producer() {
        secrets = new SecretRecords(TestServers.get().bootstrapServers(), config.secretsKey().orElseThrow());
        repository = Deliveries.newRepository();
    }

    @AfterEach
    void closeProducer() {
        secrets.close();
    }

    private static ValidatableResponse send(String eventKey, byte[] body, String secret) {
        var request = given().contentType(ContentType.JSON).header("X-Event-Key", eventKey)
                .header("X-Request-UUID", UUID.randomUUID().toString()).body(body);
        if (secret != null) {
            request.header("X-Hub-Signature", WebhookSignature.sign(secret, body));
        }
        return request.post("/webhooks/bitbucket").then();
    }

    private static byte[] aPush(String repository) {
        return push(repository, branch("main", commit(), commit()));
    }

    /** Waits until the service verifies the repository's deliveries with {@code secret}. */
    private static void awaitInForce(String repository, String secret) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> send("repo:push", aPush(repository), secret).statusCode(202));
    }

    @Test
    void aRepositoryWithItsOwnSecretIsVerifiedWithItAlone() {
        secrets.publish(repository, "own-secret-of-the-repo", Instant.now());
        awaitInForce(repository, "own-secret-of-the-repo");

        send("repo:push", aPush(repository), Deliveries.SECRET).statusCode(401)
                .body(not(containsString("own-secret"))).body(not(containsString(Deliveries.SECRET)));
        send("repo:push", aPush(repository), null).statusCode(401);
        // another repository is still verified with the global secret
        send("repo:push", aPush(Deliveries.newRepository()), Deliveries.SECRET).statusCode(202);
    }

    @Test
    void theCaseOfTheNameDoesNotEscapeTheSecret() {
        secrets.publish(repository, "own-secret", Instant.now());
        awaitInForce(repository, "own-secret");
        String shouted = repository.toUpperCase();

        send("repo:push", aPush(shouted), Deliveries.SECRET).statusCode(401);
        send("repo:push", aPush(shouted), "own-secret").statusCode(202);
    }

    @Test
    void aRemovedSecretGivesTheRepositoryBackToTheGlobalSecret() {
        Instant set = Instant.now();
        secrets.publish(repository, "own-secret", set);
        awaitInForce(repository, "own-secret");

        secrets.publish(repository, null, set.plusMillis(1));

        awaitInForce(repository, Deliveries.SECRET);
        send("repo:push", aPush(repository), "own-secret").statusCode(401);
    }

    @Test
    void anOlderRecordNeverReplacesANewerOne() {
        Instant now = Instant.now();
        secrets.publish(repository, "newer-secret", now);
        awaitInForce(repository, "newer-secret");
        String marker = Deliveries.newRepository();

        secrets.publish(repository, "older-secret", now.minusSeconds(60));
        secrets.publishBehind(repository, marker, "marker-secret", now);

        awaitInForce(marker, "marker-secret");
        send("repo:push", aPush(repository), "older-secret").statusCode(401);
        send("repo:push", aPush(repository), "newer-secret").statusCode(202);
    }

    @Test
    void aRecordThatCannotBeReadShutsTheRepositoryOutUntilAReadableOneComes() throws Exception {
        Instant now = Instant.now();
        secrets.publish(repository, "own-secret", now);
        awaitInForce(repository, "own-secret");
        // sealed for another repository: the seal does not open for this one
        ObjectNode moved = (ObjectNode) MAPPER.readTree(secrets.json(Deliveries.newRepository(), "attackers-secret", now));
        String[] name = repository.split("/");
        moved.put("workspace", name[0]).put("slug", name[1]).put("occurredAt", now.plusSeconds(1).toString());

        secrets.publishRaw(repository, RepositoryWebhookSecretChanged.TYPE, MAPPER.writeValueAsString(moved));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> send("repo:push", aPush(repository), "own-secret")
                .statusCode(503)
                .header("Retry-After", "10")
                .body("detail", containsString("cannot read")));
        send("repo:push", aPush(repository), Deliveries.SECRET).statusCode(503);
        send("repo:push", aPush(repository), "attackers-secret").statusCode(503);

        secrets.publishRaw(repository, RepositoryWebhookSecretChanged.TYPE, "{not json");
        secrets.publish(repository, "fresh-secret", now.plusSeconds(2));
        awaitInForce(repository, "fresh-secret");
    }

    @Test
    void aRecordWithoutValueRemovesNothing() {
        secrets.publish(repository, "own-secret", Instant.now());
        awaitInForce(repository, "own-secret");
        String marker = Deliveries.newRepository();

        secrets.publishRaw(repository, null, null);
        secrets.publishBehind(repository, marker, "marker-secret", Instant.now());

        awaitInForce(marker, "marker-secret");
        send("repo:push", aPush(repository), Deliveries.SECRET).statusCode(401);
    }

    @Test
    void aBodyNamingTwoRepositoriesNeverGetsAroundTheOwnSecret() {
        secrets.publish(repository, "own-secret", Instant.now());
        awaitInForce(repository, "own-secret");
        String changes = ",\"push\":{\"changes\":[{\"new\":{\"type\":\"branch\",\"name\":\"main\",\"target\":{\"hash\":\""
                + commit() + "\"}}}]}}";
        byte[] unknownFirst = ("{\"repository\":{\"full_name\":\"someone/else\"},\"repository\":{\"full_name\":\""
                + repository + "\"}" + changes).getBytes(StandardCharsets.UTF_8);
        byte[] ownFirst = ("{\"repository\":{\"full_name\":\"" + repository
                + "\"},\"repository\":{\"full_name\":\"someone/else\"}" + changes).getBytes(StandardCharsets.UTF_8);

        send("repo:push", unknownFirst, Deliveries.SECRET).statusCode(400)
                .body("detail", containsString("a field appears twice"));
        send("repo:push", ownFirst, "own-secret").statusCode(400);
        send("repo:push", ownFirst, Deliveries.SECRET).statusCode(401);
    }

    @Test
    void aDataCenterPullRequestIsVerifiedWithItsDestinationsSecret() throws Exception {
        String dataCenterRepository = Deliveries.newDataCenterRepository();
        String[] name = dataCenterRepository.split("/");
        ObjectNode body = (ObjectNode) MAPPER.readTree(Fixtures.bytes("bitbucket-dc/go-scm/pr_open.json"));
        for (String side : new String[] {"fromRef", "toRef"}) {
            ObjectNode repositoryNode = (ObjectNode) body.path("pullRequest").path(side).path("repository");
            ((ObjectNode) repositoryNode.path("project")).put("key", name[0]);
            repositoryNode.put("slug", name[1]);
        }
        byte[] pullRequest = MAPPER.writeValueAsBytes(body);
        secrets.publish(dataCenterRepository, "dc-own-secret", Instant.now());

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> send("pr:opened", pullRequest, "dc-own-secret").statusCode(202));
        send("pr:opened", pullRequest, Deliveries.SECRET).statusCode(401);
        send("diagnostics:ping", "{\"test\":true}".getBytes(StandardCharsets.UTF_8), Deliveries.SECRET)
                .statusCode(200).body("status", equalTo("ignored"));
    }
}
