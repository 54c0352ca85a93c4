package io.trunkline.deploy.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.events.RepositoryRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Runs and follows Bitbucket Cloud custom pipelines: {@code POST /repositories/{ws}/{slug}/pipelines/}
 * with a {@code pipeline_ref_target} on the deployed branch or tag and commit and a {@code custom}
 * selector, {@code GET .../pipelines/{uuid}} to follow it, {@code POST .../pipelines/{uuid}/stopPipeline}
 * to stop it. Calls carry {@code Authorization: Bearer <secret>} and, on the trigger,
 * {@code Idempotency-Key: <deployment id>}.
 */
@ApplicationScoped
public class BitbucketPipelines {

    /** Named in reasons. */
    public static final String API = "Bitbucket";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BitbucketPipelinesApi api;
    private final ApiCalls calls;
    private final String host;

    public BitbucketPipelines(@RestClient BitbucketPipelinesApi api, ApiCalls calls,
            @ConfigProperty(name = "quarkus.rest-client.bitbucket.url") String url) {
        this.api = api;
        this.calls = calls;
        URI base = URI.create(url);
        this.host = base.getHost() + ":" + base.getPort();
    }

    /**
     * A pipeline as Bitbucket describes it.
     *
     * @param state {@code PENDING}, {@code IN_PROGRESS}, {@code COMPLETED}, ...
     * @param result once completed: {@code SUCCESSFUL}, {@code FAILED}, {@code ERROR}, {@code EXPIRED}, {@code STOPPED}
     */
    public record Pipeline(String uuid, long buildNumber, String state, String result) {

        public boolean completed() {
            return "COMPLETED".equals(state);
        }
    }

    /**
     * How a trigger ended.
     *
     * @param pipeline the pipeline started; null when none was
     * @param failure why none was, for the deployment's reason; null when one was
     */
    public record Started(Pipeline pipeline, String failure, int calls) {
    }

    /**
     * What a poll saw.
     *
     * @param pipeline the pipeline; null when the poll failed
     * @param failure the failed poll's result; null when it went through
     * @param message Bitbucket's error message when it answered one
     */
    public record Polled(Pipeline pipeline, AttemptResult failure, String message) {
    }

    /**
     * Starts the custom pipeline {@code pattern} on {@code refName} ({@code refType} branch or tag) at
     * {@code commit}, or on the commit alone when there is no ref.
     */
    public Started trigger(RepositoryRef repository, String refType, String refName, String commit, String pattern,
            Map<String, String> variables, TargetCredential credential, String idempotencyKey, String subject,
            CallRules rules) {
        String body = triggerBody(refType, refName, commit, pattern, variables);
        ApiCalls.Result result = calls.call(host, subject, rules, credential, secret ->
                api.trigger(repository.workspace(), repository.slug(), bearer(secret), idempotencyKey, body));
        if (result.ok()) {
            Pipeline pipeline = pipeline(result.answer().body());
            if (pipeline == null) {
                return new Started(null, API + " answered " + result.answer().status()
                        + " without the pipeline it started", result.calls().calls());
            }
            return new Started(pipeline, null, result.calls().calls());
        }
        String message = errorMessage(result.answer());
        if (result.answer() != null && result.answer().status() == 400) {
            // Pipelines disabled, no such custom pipeline, invalid variables: Bitbucket says which
            return new Started(null, "Bitbucket refused to run custom pipeline " + pattern
                    + (message == null ? "" : ": " + message), result.calls().calls());
        }
        return new Started(null, ApiCalls.failure(API, result, message, rules.notAfter()), result.calls().calls());
    }

    /** Reads the pipeline once; a failed poll is told, not retried. */
    public Polled poll(RepositoryRef repository, String uuid, TargetCredential credential) {
        AtomicReference<ApiCalls.Answer> answer = new AtomicReference<>();
        AttemptResult result = calls.once(credential, secret ->
                api.pipeline(repository.workspace(), repository.slug(), uuid, bearer(secret)), answer);
        if (answer.get() != null && answer.get().ok()) {
            Pipeline pipeline = pipeline(answer.get().body());
            if (pipeline != null) {
                return new Polled(pipeline, null, null);
            }
        }
        return new Polled(null, result, errorMessage(answer.get()));
    }

    /** Asks Bitbucket to stop the pipeline; true when it accepted. */
    public boolean stop(RepositoryRef repository, String uuid, TargetCredential credential) {
        AtomicReference<ApiCalls.Answer> answer = new AtomicReference<>();
        calls.once(credential, secret -> api.stop(repository.workspace(), repository.slug(), uuid, bearer(secret)),
                answer);
        return answer.get() != null && answer.get().ok();
    }

    /** The pipeline's page for people. */
    public static String page(String webUrl, RepositoryRef repository, long buildNumber) {
        return webUrl.replaceAll("/+$", "") + "/" + repository.workspace() + "/" + repository.slug()
                + "/pipelines/results/" + buildNumber;
    }

    static String triggerBody(String refType, String refName, String commit, String pattern,
            Map<String, String> variables) {
        ObjectNode target = JSON.createObjectNode();
        if (refName != null && !refName.isBlank()) {
            target.put("type", "pipeline_ref_target").put("ref_type", refType).put("ref_name", refName);
        } else {
            target.put("type", "pipeline_commit_target");
        }
        target.putObject("commit").put("type", "commit").put("hash", commit);
        target.putObject("selector").put("type", "custom").put("pattern", pattern);
        ObjectNode body = JSON.createObjectNode();
        body.set("target", target);
        ArrayNode list = body.putArray("variables");
        variables.forEach((key, value) -> list.addObject().put("key", key).put("value", value).put("secured", false));
        return body.toString();
    }

    private static Pipeline pipeline(String body) {
        JsonNode json = parse(body);
        if (json == null || !json.hasNonNull("uuid")) {
            return null;
        }
        JsonNode state = json.path("state");
        return new Pipeline(json.get("uuid").asText(), json.path("build_number").asLong(),
                state.path("name").asText(null), state.path("result").path("name").asText(null));
    }

    /** Bitbucket's {@code {"type":"error","error":{"message":...}}}, bounded. */
    static String errorMessage(ApiCalls.Answer answer) {
        if (answer == null || answer.ok()) {
            return null;
        }
        JsonNode json = parse(answer.body());
        String message = json == null ? null : json.path("error").path("message").asText(null);
        return message == null ? null : bounded(message);
    }

    static String bounded(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String bearer(String secret) {
        return secret == null ? null : "Bearer " + secret;
    }
}
