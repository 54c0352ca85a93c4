package io.trunkline.ingest.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.trunkline.infra.test.Fixtures;
import io.trunkline.ingest.service.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * Signed Bitbucket Cloud {@code repo:push} deliveries built from the real {@code push.json} fixture,
 * with the repository and the ref changes a test needs.
 */
public final class Deliveries {

    public static final String SECRET = "test-webhook-secret";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Deliveries() {
    }

    /** A repository of its own, so that tests sharing the database and the topic never meet. */
    public static String newRepository() {
        return "trunkline-tests/repo-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String commit() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 40);
    }

    public static Change branch(String name, String oldCommit, String newCommit) {
        return new Change("branch", name, oldCommit, newCommit);
    }

    public static Change tag(String name, String oldCommit, String newCommit) {
        return new Change("tag", name, oldCommit, newCommit);
    }

    /** The body of a push of {@code changes} to {@code repository} ({@code workspace/slug}). */
    public static byte[] push(String repository, Change... changes) {
        try {
            ObjectNode body = (ObjectNode) MAPPER.readTree(Fixtures.bytes("bitbucket-cloud/go-scm/push.json"));
            ((ObjectNode) body.path("repository")).put("full_name", repository);
            ArrayNode fixtureChanges = (ArrayNode) body.path("push").path("changes");
            ObjectNode template = (ObjectNode) fixtureChanges.get(0);
            ArrayNode built = MAPPER.createArrayNode();
            for (Change change : List.of(changes)) {
                ObjectNode node = template.deepCopy();
                node.set("old", side(template.path("old"), change, change.oldCommit()));
                node.set("new", side(template.path("new"), change, change.newCommit()));
                node.put("created", change.oldCommit() == null);
                node.put("closed", change.newCommit() == null);
                built.add(node);
            }
            ((ObjectNode) body.path("push")).set("changes", built);
            return MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode side(JsonNode template, Change change, String commit) {
        if (commit == null) {
            return MAPPER.nullNode();
        }
        ObjectNode side = template.deepCopy();
        side.put("type", change.type());
        side.put("name", change.name());
        ((ObjectNode) side.path("target")).put("hash", commit);
        return side;
    }

    /** Posts a signed {@code repo:push} delivery; {@code deliveryId} null sends no X-Request-UUID. */
    public static ValidatableResponse post(byte[] body, String deliveryId) {
        var request = given()
                .contentType(ContentType.JSON)
                .header("X-Event-Key", "repo:push")
                .header("X-Hub-Signature", WebhookSignature.sign(SECRET, body))
                .body(body);
        if (deliveryId != null) {
            request.header("X-Request-UUID", deliveryId);
        }
        return request.post("/webhooks/bitbucket").then();
    }

    public record Change(String type, String name, String oldCommit, String newCommit) {
    }
}
