package io.trunkline.deploy.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Runs and follows Pulumi Deployments: {@code POST /api/stacks/{org}/{project}/{stack}/deployments} with
 * the operation, the stack's own settings and the commit, {@code GET .../deployments/{id}} to follow it,
 * {@code POST .../deployments/{id}/cancel} to stop it; review stacks are created from a stack's
 * deployment settings ({@code GET/POST .../deployments/settings}). Calls carry
 * {@code Authorization: token <secret>}, {@code Accept: application/vnd.pulumi+8} and, on a deployment,
 * {@code Idempotency-Key: <deployment id>}.
 */
@ApplicationScoped
public class PulumiDeployments {

    /** Named in reasons. */
    public static final String API = "Pulumi";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PulumiDeploymentsApi api;
    private final ApiCalls calls;
    private final String host;

    public PulumiDeployments(@RestClient PulumiDeploymentsApi api, ApiCalls calls,
            @ConfigProperty(name = "quarkus.rest-client.pulumi.url") String url) {
        this.api = api;
        this.calls = calls;
        URI base = URI.create(url);
        this.host = base.getHost() + ":" + base.getPort();
    }

    /** A stack: {@code organization/project/stack}. */
    public record Stack(String organization, String project, String name) {

        @Override
        public String toString() {
            return organization + "/" + project + "/" + name;
        }
    }

    /**
     * A Pulumi deployment.
     *
     * @param status {@code not-started}, {@code accepted}, {@code running}, then {@code succeeded}, {@code failed} or {@code skipped}
     * @param consoleUrl its page in the Pulumi Cloud console; null where the answer had none
     */
    public record Run(String id, String status, String consoleUrl) {

        public boolean finished() {
            return "succeeded".equals(status) || "failed".equals(status) || "skipped".equals(status);
        }
    }

    /** How a call that was to start something ended: {@code failure} null when it went through. */
    public record Started(Run run, String failure, int calls) {
    }

    /** What a poll saw: the run, or the failed poll's result and Pulumi's message. */
    public record Polled(Run run, AttemptResult failure, String message) {
    }

    /** Whether the stack exists: true, false (404), or null with {@code failure} set. */
    public record Exists(Boolean exists, String failure) {
    }

    public Exists exists(Stack stack, TargetCredential credential, String subject, CallRules rules) {
        ApiCalls.Result result = calls.call(host, subject, rules, credential,
                secret -> api.stack(stack.organization(), stack.project(), stack.name(), token(secret)));
        if (result.ok()) {
            return new Exists(true, null);
        }
        if (result.answer() != null && result.answer().status() == 404) {
            return new Exists(false, null);
        }
        return new Exists(null, ApiCalls.failure(API, result, errorMessage(result.answer()), rules.notAfter()));
    }

    /**
     * Creates {@code review} with the deployment settings of {@code from}, as Pulumi's review stacks are.
     *
     * @return why it could not; null once it exists with those settings
     */
    public String createReviewStack(Stack from, Stack review, TargetCredential credential, String subject,
            CallRules rules) {
        ApiCalls.Result settings = calls.call(host, subject, rules, credential,
                secret -> api.settings(from.organization(), from.project(), from.name(), token(secret)));
        if (!settings.ok()) {
            return "cannot read the deployment settings of stack " + from + ": "
                    + ApiCalls.failure(API, settings, errorMessage(settings.answer()), rules.notAfter());
        }
        String body = JSON.createObjectNode().put("stackName", review.name()).toString();
        ApiCalls.Result created = calls.call(host, subject, rules, credential,
                secret -> api.createStack(review.organization(), review.project(), token(secret), body));
        // 409: created meanwhile, by an earlier attempt of this deployment or another one
        if (!created.ok() && !(created.answer() != null && created.answer().status() == 409)) {
            return "cannot create review stack " + review + ": "
                    + ApiCalls.failure(API, created, errorMessage(created.answer()), rules.notAfter());
        }
        ApiCalls.Result copied = calls.call(host, subject, rules, credential, secret -> api.saveSettings(
                review.organization(), review.project(), review.name(), token(secret), settings.answer().body()));
        if (!copied.ok()) {
            return "cannot give review stack " + review + " the deployment settings of " + from + ": "
                    + ApiCalls.failure(API, copied, errorMessage(copied.answer()), rules.notAfter());
        }
        return null;
    }

    /** Starts {@code operation} on the stack at {@code commit}, with the stack's own deployment settings. */
    public Started deploy(Stack stack, String operation, String commit, TargetCredential credential,
            String idempotencyKey, String subject, CallRules rules) {
        ObjectNode body = JSON.createObjectNode().put("operation", operation).put("inheritSettings", true);
        if (commit != null) {
            body.putObject("sourceContext").putObject("git").put("commit", commit);
        }
        String json = body.toString();
        ApiCalls.Result result = calls.call(host, subject, rules, credential, secret -> api.deploy(stack.organization(),
                stack.project(), stack.name(), token(secret), idempotencyKey, json));
        if (result.ok()) {
            Run run = run(result.answer().body(), null);
            return run == null
                    ? new Started(null, API + " answered " + result.answer().status() + " without the deployment it"
                            + " started", result.calls().calls())
                    : new Started(run, null, result.calls().calls());
        }
        return new Started(null, ApiCalls.failure(API, result, errorMessage(result.answer()), rules.notAfter()),
                result.calls().calls());
    }

    /** Reads the deployment once; a failed poll is told, not retried. */
    public Polled poll(Stack stack, String id, TargetCredential credential) {
        AtomicReference<ApiCalls.Answer> answer = new AtomicReference<>();
        AttemptResult result = calls.once(credential, secret -> api.deployment(stack.organization(), stack.project(),
                stack.name(), id, token(secret)), answer);
        if (answer.get() != null && answer.get().ok()) {
            Run run = run(answer.get().body(), id);
            if (run != null && run.status() != null) {
                return new Polled(run, null, null);
            }
        }
        return new Polled(null, result, errorMessage(answer.get()));
    }

    /** Asks Pulumi to cancel the deployment; true when it accepted. */
    public boolean cancel(Stack stack, String id, TargetCredential credential) {
        AtomicReference<ApiCalls.Answer> answer = new AtomicReference<>();
        calls.once(credential, secret -> api.cancel(stack.organization(), stack.project(), stack.name(), id,
                token(secret)), answer);
        return answer.get() != null && answer.get().ok();
    }

    private static Run run(String body, String id) {
        JsonNode json = BitbucketPipelines.parse(body);
        if (json == null || (id == null && !json.hasNonNull("id"))) {
            return null;
        }
        return new Run(json.hasNonNull("id") ? json.get("id").asText() : id, json.path("status").asText(null),
                json.path("consoleUrl").asText(null));
    }

    /** Pulumi's {@code {"code":400,"message":...}}, bounded. */
    static String errorMessage(ApiCalls.Answer answer) {
        if (answer == null || answer.ok()) {
            return null;
        }
        JsonNode json = BitbucketPipelines.parse(answer.body());
        String message = json == null ? null : json.path("message").asText(null);
        return message == null ? null : BitbucketPipelines.bounded(message);
    }

    private static String token(String secret) {
        return secret == null ? null : "token " + secret;
    }
}
