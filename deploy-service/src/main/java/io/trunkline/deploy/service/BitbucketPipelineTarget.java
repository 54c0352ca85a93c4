package io.trunkline.deploy.service;

import io.trunkline.deploy.client.ApiCalls;
import io.trunkline.deploy.client.AttemptResult;
import io.trunkline.deploy.client.BitbucketPipelines;
import io.trunkline.deploy.client.CallRules;
import io.trunkline.deploy.client.TargetCredential;
import io.trunkline.deploy.config.DeployConfig;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TargetSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * Carries out a {@code bitbucket-pipeline} target: runs the custom pipeline on the deployed branch or tag
 * and commit, stores the pipeline the moment Bitbucket answers (so that a restart or a takeover follows it
 * rather than running another), and follows it to its result: {@code SUCCESSFUL} is SUCCEEDED,
 * {@code FAILED}, {@code ERROR} and {@code EXPIRED} are FAILED, {@code STOPPED} is CANCELLED. A {@code 400}
 * (Pipelines disabled, no such custom pipeline) fails at once with Bitbucket's message. An operator's
 * cancel stops the pipeline.
 */
@ApplicationScoped
public class BitbucketPipelineTarget {

    private final BitbucketPipelines pipelines;
    private final CredentialResolver credentials;
    private final FollowedRuns followed;
    private final RunFollower follower;
    private final DeployConfig config;

    public BitbucketPipelineTarget(BitbucketPipelines pipelines, CredentialResolver credentials, FollowedRuns followed,
            RunFollower follower, DeployConfig config) {
        this.pipelines = pipelines;
        this.credentials = credentials;
        this.followed = followed;
        this.follower = follower;
        this.config = config;
    }

    /**
     * Starts the run (on the caller's thread) and follows it (on the follower's).
     *
     * @return completes with the outcome once the run ended, or at once when it could not be started
     * @throws DeploymentFailedException when the target cannot be carried out as configured
     */
    public CompletionStage<Outcome> deploy(DeploymentRequested request, TargetSpec target, BooleanSupplier leaseHeld) {
        RepositoryRef repository = request.repository();
        if (repository.provider() == ScmProvider.BITBUCKET_DATA_CENTER) {
            throw new DeploymentFailedException("Bitbucket Data Center has no Pipelines: a bitbucket-pipeline target"
                    + " needs a Bitbucket Cloud repository");
        }
        if (target.pipeline() == null || target.pipeline().isBlank()) {
            throw new DeploymentFailedException("the bitbucket-pipeline target names no pipeline");
        }
        RunFollower.Settings settings = follower.settings(target);
        TargetCredential credential = target.auth() == null
                ? credentials.resolveConfigured(config.bitbucket().credential()) : credentials.resolve(target.auth().token());
        FollowedRuns.StoredRun stored = followed.stored(request.deploymentId());
        String uuid = stored.externalId();
        String link = stored.link();
        String pattern = TemplateExpander.forDeployment(request).expandText(target.pipeline(), "target pipeline");
        int calls = 0;
        if (uuid == null) {
            var cancelled = followed.cancelReason(request.deploymentId());
            if (cancelled.isPresent()) {
                return done(new Outcome(DeploymentState.CANCELLED, cancelled.get() + "; the pipeline was not run", 0));
            }
            boolean tag = request.tag() != null && !request.tag().isBlank();
            BitbucketPipelines.Started started = pipelines.trigger(repository, tag ? "tag" : "branch",
                    tag ? request.tag() : request.branch(), request.commit(), pattern, variables(request, target),
                    credential, request.deploymentId().toString(), "Deployment " + request.deploymentId(),
                    new CallRules(target.allowsRepeatedCalls(), request.notAfter(), leaseHeld));
            if (started.pipeline() == null) {
                return done(Outcome.failed(started.failure(), started.calls()));
            }
            calls = started.calls();
            uuid = started.pipeline().uuid();
            link = BitbucketPipelines.page(config.bitbucket().webUrl(), repository, started.pipeline().buildNumber());
            String name = "Bitbucket pipeline #" + started.pipeline().buildNumber();
            if (!followed.started(request, uuid, link, name + " (custom: " + pattern + ") started: " + link)) {
                return done(Outcome.failed(name + " started, but this instance no longer holds the deployment", calls));
            }
        }
        return follower.follow(request, new Pipeline(repository, uuid, link, credential), stored.startedAt(), settings,
                leaseHeld, calls);
    }

    private static Map<String, String> variables(DeploymentRequested request, TargetSpec target) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (target.variables() != null) {
            TemplateExpander templates = TemplateExpander.forDeployment(request);
            target.variables().forEach((key, value) ->
                    variables.put(key, templates.expandText(value == null ? "" : value, "target variable " + key)));
        }
        return variables;
    }

    /** The pipeline, as the follower sees it. */
    private final class Pipeline implements RunFollower.FollowedRun {

        private final RepositoryRef repository;
        private final String uuid;
        private final String link;
        private final TargetCredential credential;

        Pipeline(RepositoryRef repository, String uuid, String link, TargetCredential credential) {
            this.repository = repository;
            this.uuid = uuid;
            this.link = link;
            this.credential = credential;
        }

        @Override
        public String name() {
            return link == null ? "Bitbucket pipeline " + uuid
                    : "Bitbucket pipeline #" + link.substring(link.lastIndexOf('/') + 1) + " (" + link + ")";
        }

        @Override
        public RunFollower.Poll poll() {
            BitbucketPipelines.Polled polled = pipelines.poll(repository, uuid, credential);
            if (polled.pipeline() == null) {
                String why = ApiCalls.describe(BitbucketPipelines.API, polled.failure(), polled.message());
                return polled.failure().verdict() == AttemptResult.Verdict.REFUSED
                        ? new RunFollower.Gone(why)
                        : new RunFollower.PollFailed(why, retryAfter(polled.failure()));
            }
            BitbucketPipelines.Pipeline pipeline = polled.pipeline();
            if (!pipeline.completed()) {
                return new RunFollower.Running(pipeline.state());
            }
            String result = pipeline.result() == null ? "UNKNOWN" : pipeline.result();
            String what = name() + " completed: " + result;
            return switch (result) {
                case "SUCCESSFUL" -> new RunFollower.Ended(DeploymentState.SUCCEEDED, what, false);
                case "STOPPED" -> new RunFollower.Ended(DeploymentState.CANCELLED, what, true);
                default -> new RunFollower.Ended(DeploymentState.FAILED, what, false);
            };
        }

        @Override
        public boolean stop() {
            return pipelines.stop(repository, uuid, credential);
        }
    }

    /** How long the API asked to be left alone; null when it did not say. */
    static Duration retryAfter(AttemptResult result) {
        return result instanceof AttemptResult.Answered answered ? answered.retryAfter() : null;
    }

    private static CompletionStage<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
