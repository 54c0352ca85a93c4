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
 * Signed Bitbucket deliveries built from the real fixtures, with the repository, ref changes and
 * pull request a test needs: Cloud {@code repo:push} and {@code pullrequest:*}, Data Center
 * {@code repo:refs_changed}.
 */
public final class Deliveries {

    public static final String SECRET = "test-webhook-secret";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NO_COMMIT = "0".repeat(40);

    private Deliveries() {
    }

    /** A repository of its own, so that tests sharing the database and the topic never meet. */
    public static String newRepository() {
        return "trunkline-tests/repo-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A Data Center repository of its own ({@code PROJECT/slug}). */
    public static String newDataCenterRepository() {
        return "TESTS/repo-" + UUID.randomUUID().toString().substring(0, 8);
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

    /** The body of a Cloud push of {@code changes} to {@code repository} ({@code workspace/slug}). */
    public static byte[] push(String repository, Change... changes) {
        ObjectNode body = fixture("bitbucket-cloud/go-scm/push.json");
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
        return bytes(body);
    }

    /** The body of a Data Center {@code repo:refs_changed} of {@code changes} to {@code repository} ({@code KEY/slug}). */
    public static byte[] dataCenterPush(String repository, Change... changes) {
        ObjectNode body = fixture("bitbucket-dc/go-scm/push.json");
        setDataCenterRepository((ObjectNode) body.path("repository"), repository);
        ArrayNode built = MAPPER.createArrayNode();
        for (Change change : List.of(changes)) {
            String refId = (change.type().equals("tag") ? "refs/tags/" : "refs/heads/") + change.name();
            ObjectNode node = MAPPER.createObjectNode();
            node.putObject("ref").put("id", refId).put("displayId", change.name())
                    .put("type", change.type().toUpperCase());
            node.put("refId", refId);
            node.put("fromHash", change.oldCommit() == null ? NO_COMMIT : change.oldCommit());
            node.put("toHash", change.newCommit() == null ? NO_COMMIT : change.newCommit());
            node.put("type", change.oldCommit() == null ? "ADD" : change.newCommit() == null ? "DELETE" : "UPDATE");
            built.add(node);
        }
        body.set("changes", built);
        return bytes(body);
    }

    /** The body of a Cloud pull-request delivery (any {@code pullrequest:*} key) of pull request {@code id} in {@code repository}. */
    public static byte[] pullRequest(String repository, long id, String sourceCommit) {
        ObjectNode body = fixture("bitbucket-cloud/go-scm/pr_created.json");
        ((ObjectNode) body.path("repository")).put("full_name", repository);
        ObjectNode pullRequest = (ObjectNode) body.path("pullrequest");
        pullRequest.put("id", id);
        ((ObjectNode) pullRequest.path("source").path("repository")).put("full_name", repository);
        ((ObjectNode) pullRequest.path("destination").path("repository")).put("full_name", repository);
        ((ObjectNode) pullRequest.path("source").path("commit")).put("hash", sourceCommit);
        return bytes(body);
    }

    static void setDataCenterRepository(ObjectNode repository, String fullName) {
        int slash = fullName.indexOf('/');
        ((ObjectNode) repository.path("project")).put("key", fullName.substring(0, slash));
        repository.put("slug", fullName.substring(slash + 1));
        repository.put("name", fullName.substring(slash + 1));
    }

    /** Posts a signed Cloud {@code repo:push} delivery; {@code deliveryId} null sends no X-Request-UUID. */
    public static ValidatableResponse post(byte[] body, String deliveryId) {
        return postCloud("repo:push", body, deliveryId);
    }

    /** Posts a signed Cloud delivery; {@code deliveryId} null sends no X-Request-UUID. */
    public static ValidatableResponse postCloud(String eventKey, byte[] body, String deliveryId) {
        var request = given()
                .contentType(ContentType.JSON)
                .header("X-Event-Key", eventKey)
                .header("X-Hub-Signature", WebhookSignature.sign(SECRET, body))
                .body(body);
        if (deliveryId != null) {
            request.header("X-Request-UUID", deliveryId);
        }
        return request.post("/webhooks/bitbucket").then();
    }

    /** Posts a signed Data Center delivery as Data Center does ({@code X-Request-Id}, JSON with charset). */
    public static ValidatableResponse postDataCenter(String eventKey, byte[] body, String requestId) {
        var request = given()
                .contentType("application/json; charset=UTF-8")
                .header("X-Event-Key", eventKey)
                .header("X-Hub-Signature", WebhookSignature.sign(SECRET, body))
                .body(body);
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return request.post("/webhooks/bitbucket").then();
    }

    private static ObjectNode fixture(String path) {
        try {
            return (ObjectNode) MAPPER.readTree(Fixtures.bytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
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

    public record Change(String type, String name, String oldCommit, String newCommit) {
    }
}
