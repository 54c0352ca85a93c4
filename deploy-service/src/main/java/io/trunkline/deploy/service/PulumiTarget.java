package io.trunkline.deploy.service;

import io.trunkline.deploy.client.ApiCalls;
import io.trunkline.deploy.client.AttemptResult;
import io.trunkline.deploy.client.CallRules;
import io.trunkline.deploy.client.PulumiDeployments;
import io.trunkline.deploy.client.PulumiDeployments.Stack;
import io.trunkline.deploy.client.TargetCredential;
import io.trunkline.deploy.config.DeployConfig;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.TargetSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * Carries out a {@code pulumi} target: a Pulumi Deployments run of the configured operation on the stack at
 * the deployed commit, with the stack's own deployment settings, stored the moment Pulumi answers and
 * followed until its status is {@code succeeded} (SUCCEEDED), {@code failed} or {@code skipped} (FAILED).
 * A pull request's deployment goes to a review stack of its own, {@code pr-<id>}, created with the
 * configured stack's deployment settings when missing; its teardown runs {@code destroy} there. An
 * operator's cancel cancels the Pulumi deployment.
 */
@ApplicationScoped
public class PulumiTarget {

    /** The operations Pulumi Deployments runs. */
    public static final Set<String> OPERATIONS = Set.of("update", "preview", "refresh", "destroy");

    private final PulumiDeployments pulumi;
    private final CredentialResolver credentials;
    private final FollowedRuns followed;
    private final RunFollower follower;
    private final DeployConfig config;

    public PulumiTarget(PulumiDeployments pulumi, CredentialResolver credentials, FollowedRuns followed,
            RunFollower follower, DeployConfig config) {
        this.pulumi = pulumi;
        this.credentials = credentials;
        this.followed = followed;
        this.follower = follower;
        this.config = config;
    }

    /** The stack a deployment goes to: the configured one, or a pull request's review stack {@code pr-<id>}. */
    static Stack stackOf(DeploymentRequested request, TargetSpec target) {
        String name = request.pullRequestId() == null ? target.stack() : "pr-" + request.pullRequestId();
        return new Stack(target.organization(), target.project(), name);
    }

    /** The operation: the target's, else {@code update} to deploy and {@code destroy} to tear down. */
    static String operationOf(DeploymentRequested request, TargetSpec target) {
        if (target.operation() != null && !target.operation().isBlank()) {
            return target.operation();
        }
        return request.operation() == DeploymentOperation.TEARDOWN ? "destroy" : "update";
    }

    /**
     * Starts the run (on the caller's thread) and follows it (on the follower's).
     *
     * @return completes with the outcome once the run ended, or at once when it could not be started
     * @throws DeploymentFailedException when the target cannot be carried out as configured
     */
    public CompletionStage<Outcome> deploy(DeploymentRequested request, TargetSpec target, BooleanSupplier leaseHeld) {
        for (String field : new String[] {target.organization(), target.project(), target.stack()}) {
            if (field == null || field.isBlank()) {
                throw new DeploymentFailedException("the pulumi target needs its organization, project and stack");
            }
        }
        String operation = operationOf(request, target);
        if (!OPERATIONS.contains(operation)) {
            throw new DeploymentFailedException("pulumi operation " + operation + " is not one of update, preview,"
                    + " refresh, destroy");
        }
        RunFollower.Settings settings = follower.settings(target);
        TargetCredential credential = target.auth() == null
                ? credentials.resolveConfigured(config.pulumi().credential()) : credentials.resolve(target.auth().token());
        Stack stack = stackOf(request, target);
        FollowedRuns.StoredRun stored = followed.stored(request.deploymentId());
        String id = stored.externalId();
        String link = stored.link();
        int calls = 0;
        if (id == null) {
            var cancelled = followed.cancelReason(request.deploymentId());
            if (cancelled.isPresent()) {
                return done(new Outcome(DeploymentState.CANCELLED, cancelled.get() + "; Pulumi was not asked to deploy",
                        0));
            }
            String subject = "Deployment " + request.deploymentId();
            CallRules rules = new CallRules(target.allowsRepeatedCalls(), request.notAfter(), leaseHeld);
            if (request.pullRequestId() != null) {
                Outcome prepared = reviewStack(request, target, stack, operation, credential, subject, rules);
                if (prepared != null) {
                    return done(prepared);
                }
            }
            PulumiDeployments.Started started = pulumi.deploy(stack, operation, request.commit(), credential,
                    request.deploymentId().toString(), subject, rules);
            if (started.run() == null) {
                return done(Outcome.failed(started.failure(), started.calls()));
            }
            calls = started.calls();
            id = started.run().id();
            link = started.run().consoleUrl();
            if (!followed.started(request, id, link, "Pulumi " + operation + " of stack " + stack + " started"
                    + (link == null ? "" : ": " + link))) {
                return done(Outcome.failed("Pulumi " + operation + " of stack " + stack + " started, but this instance"
                        + " no longer holds the deployment", calls));
            }
        }
        return follower.follow(request, new Run(stack, operation, id, link, credential), stored.startedAt(), settings,
                leaseHeld, calls);
    }

    /**
     * Makes sure a pull request's review stack exists before it is deployed to: created with the configured
     * stack's deployment settings. A teardown of a review stack that does not exist has nothing to destroy.
     *
     * @return the deployment's outcome when it ends here; null to go on
     */
    private Outcome reviewStack(DeploymentRequested request, TargetSpec target, Stack review, String operation,
            TargetCredential credential, String subject, CallRules rules) {
        PulumiDeployments.Exists exists = pulumi.exists(review, credential, subject, rules);
        if (exists.exists() == null) {
            return Outcome.failed(exists.failure(), 0);
        }
        if (exists.exists()) {
            return null;
        }
        if ("destroy".equals(operation)) {
            return new Outcome(DeploymentState.SUCCEEDED, "review stack " + review + " does not exist: nothing to"
                    + " destroy", 0);
        }
        Stack base = new Stack(target.organization(), target.project(), target.stack());
        String failure = pulumi.createReviewStack(base, review, credential, subject, rules);
        return failure == null ? null : Outcome.failed(failure, 0);
    }

    /** The Pulumi deployment, as the follower sees it. */
    private final class Run implements RunFollower.FollowedRun {

        private final Stack stack;
        private final String operation;
        private final String id;
        private final String link;
        private final TargetCredential credential;

        Run(Stack stack, String operation, String id, String link, TargetCredential credential) {
            this.stack = stack;
            this.operation = operation;
            this.id = id;
            this.link = link;
            this.credential = credential;
        }

        @Override
        public String name() {
            return "Pulumi " + operation + " of stack " + stack + (link == null ? " (deployment " + id + ")"
                    : " (" + link + ")");
        }

        @Override
        public RunFollower.Poll poll() {
            PulumiDeployments.Polled polled = pulumi.poll(stack, id, credential);
            if (polled.run() == null) {
                String why = ApiCalls.describe(PulumiDeployments.API, polled.failure(), polled.message());
                return polled.failure().verdict() == AttemptResult.Verdict.REFUSED
                        ? new RunFollower.Gone(why)
                        : new RunFollower.PollFailed(why, BitbucketPipelineTarget.retryAfter(polled.failure()));
            }
            String status = polled.run().status();
            return switch (status) {
                case "succeeded" -> new RunFollower.Ended(DeploymentState.SUCCEEDED, name() + " succeeded", false);
                case "failed" -> new RunFollower.Ended(DeploymentState.FAILED, name() + " failed", false);
                case "skipped" -> new RunFollower.Ended(DeploymentState.FAILED, name() + " was skipped by Pulumi"
                        + " (a later deployment of the stack was queued)", false);
                default -> new RunFollower.Running(status);
            };
        }

        @Override
        public boolean stop() {
            return pulumi.cancel(stack, id, credential);
        }
    }

    private static CompletionStage<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
