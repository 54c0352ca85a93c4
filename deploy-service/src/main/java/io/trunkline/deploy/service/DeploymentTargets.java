package io.trunkline.deploy.service;

import io.trunkline.deploy.client.CallOutcome;
import io.trunkline.deploy.client.CallRules;
import io.trunkline.deploy.client.HttpTargetClient;
import io.trunkline.deploy.client.HttpTargetRequest;
import io.trunkline.deploy.client.TargetCredential;
import io.trunkline.events.CredentialRef;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.TargetSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * Carries a deployment out on its target, by target type: {@code http} ({@link HttpTargetClient}),
 * {@code bitbucket-pipeline} ({@link BitbucketPipelineTarget}), {@code pulumi} ({@link PulumiTarget}).
 */
@ApplicationScoped
public class DeploymentTargets {

    private final HttpTargetClient httpClient;
    private final CredentialResolver credentials;
    private final BitbucketPipelineTarget pipelines;
    private final PulumiTarget pulumi;

    public DeploymentTargets(HttpTargetClient httpClient, CredentialResolver credentials,
            BitbucketPipelineTarget pipelines, PulumiTarget pulumi) {
        this.httpClient = httpClient;
        this.credentials = credentials;
        this.pipelines = pipelines;
        this.pulumi = pulumi;
    }

    /**
     * Calls the target; never fails for a deployment that fails, it ends with a FAILED outcome. The call
     * is made on the caller's thread; a run the target started (a pipeline, a Pulumi deployment) is then
     * followed without it, and the stage completes when that run ended.
     *
     * @param leaseHeld checked before each further attempt: false once this instance may have lost the run
     * @throws io.trunkline.deploy.client.CallInterruptedException when the process stops before the outcome is
     *         known (the stage completes with it when the process stops while a run is followed)
     */
    public CompletionStage<Outcome> deploy(DeploymentRequested request, BooleanSupplier leaseHeld) {
        TargetSpec target = request.target();
        try {
            if (target == null || target.type() == null || target.type().isBlank()) {
                throw new DeploymentFailedException("the deployment request names no target type");
            }
            return switch (target.type()) {
                case TargetSpec.HTTP -> CompletableFuture.completedFuture(deployHttp(request, target, leaseHeld));
                case TargetSpec.BITBUCKET_PIPELINE -> pipelines.deploy(request, target, leaseHeld);
                case TargetSpec.PULUMI -> pulumi.deploy(request, target, leaseHeld);
                default -> throw new DeploymentFailedException("unknown target type " + target.type()
                        + "; known: http, bitbucket-pipeline, pulumi");
            };
        } catch (DeploymentFailedException e) {
            return CompletableFuture.completedFuture(Outcome.failed(e.getMessage(), 0));
        }
    }

    private Outcome deployHttp(DeploymentRequested request, TargetSpec target, BooleanSupplier leaseHeld) {
        HttpTargetRequest call = httpRequest(request, target);
        CallOutcome outcome = httpClient.call(request.deploymentId(), call,
                new CallRules(target.allowsRepeatedCalls(), request.notAfter(), leaseHeld));
        return new Outcome(outcome.succeeded() ? DeploymentState.SUCCEEDED : DeploymentState.FAILED,
                outcome.description(), outcome.attempts());
    }

    /** The request an {@code http} target describes, templates expanded and credential resolved. */
    HttpTargetRequest httpRequest(DeploymentRequested request, TargetSpec target) {
        TemplateExpander templates = TemplateExpander.forDeployment(request);
        if (target.url() == null || target.url().isBlank()) {
            throw new DeploymentFailedException("the http target has no url");
        }
        URI uri;
        try {
            uri = new URI(templates.expandUrl(target.url(), "target url"));
        } catch (URISyntaxException e) {
            throw new DeploymentFailedException("target url is not a valid URL once its placeholders are filled in");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = null;
        if (target.headers() != null) {
            for (Map.Entry<String, String> header : target.headers().entrySet()) {
                String value = templates.expandText(header.getValue() == null ? "" : header.getValue(),
                        "target header " + header.getKey());
                headers.put(header.getKey(), value);
                if (header.getKey().equalsIgnoreCase("Content-Type")) {
                    contentType = value;
                }
            }
        }
        String body = templates.expandBody(target.body(), contentType, "target body");
        return new HttpTargetRequest(target.method(), uri, headers, body, credential(target.auth()),
                request.deploymentId() == null ? null : request.deploymentId().toString(), target.success());
    }

    private TargetCredential credential(CredentialRef auth) {
        if (auth == null) {
            return null;
        }
        if (!"bearer".equalsIgnoreCase(auth.type())) {
            throw new DeploymentFailedException("target auth type " + auth.type() + " is not supported; use bearer");
        }
        return credentials.resolve(auth.token());
    }
}
