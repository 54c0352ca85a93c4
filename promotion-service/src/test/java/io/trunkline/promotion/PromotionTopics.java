package io.trunkline.promotion;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.trunkline.events.DeploymentCancelRequested;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.PullRequestAction;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.Topics;
import io.trunkline.events.VerificationResult;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TopicProbe;
import io.trunkline.promotion.persistence.DeploymentEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * promotion-service as the other services see it, for tests on the real broker: publishes pushes (as
 * webhook-ingest) and run states (as deploy-service), records the deploy requests and states it publishes.
 */
public final class PromotionTopics implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);

    private final TopicProbe probe = new TopicProbe(TestServers.get().bootstrapServers());
    private final TopicProbe.Recording requests = probe.record(Topics.DEPLOY_REQUESTS);
    private final TopicProbe.Recording states = probe.record(Topics.DEPLOYMENT_STATUS);

    /** Configures a new repository with the given environments (a JSON array) through the API. */
    public static RepositoryRef configure(String environments) {
        return configure(environments, false);
    }

    /** Configures a new repository with the given environments, deploying pull requests from forks or not. */
    public static RepositoryRef configure(String environments, boolean previewForks) {
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "app-" + UUID.randomUUID());
        given().contentType(ContentType.JSON)
                .body("{ \"previewForks\": " + previewForks + ", \"environments\": " + environments + " }")
                .put("/api/repositories/" + repository.workspace() + "/" + repository.slug())
                .then().statusCode(201);
        return repository;
    }

    /** A repository whose trunk {@code main} deploys to {@code staging}. */
    public static RepositoryRef configureStaging() {
        return configure("""
                [ { "name": "staging", "trigger": "trunk",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } } ]""");
    }

    public static String commit() {
        return UUID.randomUUID().toString().replace("-", "") + "00000000";
    }

    public static RefsPushed push(RepositoryRef repository, RefType type, String ref, String oldCommit, String newCommit) {
        return new RefsPushed(UUID.randomUUID(), Instant.now(), repository,
                List.of(new RefChange(type, ref, oldCommit, newCommit, false)), "jdoe", UUID.randomUUID().toString());
    }

    /** Publishes the push to {@code trunkline.scm-events} as webhook-ingest does. */
    public RefsPushed publish(RefsPushed push) {
        probe.publish(Topics.SCM_EVENTS, push, "webhook-ingest");
        return push;
    }

    /** Publishes a new push of one ref change. */
    public RefsPushed publish(RepositoryRef repository, RefType type, String ref, String oldCommit, String newCommit) {
        return publish(push(repository, type, ref, oldCommit, newCommit));
    }

    /** A pull request change as webhook-ingest publishes it; {@code abbreviated}: a Cloud payload's 12 characters. */
    public static PullRequestChanged pullRequest(RepositoryRef repository, long id, PullRequestAction action,
            String commit, boolean abbreviated, RepositoryRef fork) {
        return new PullRequestChanged(UUID.randomUUID(), Instant.now(), repository, id, action, "feature/" + id,
                commit == null ? null : abbreviated ? commit.substring(0, 12) : commit, "main", fork != null,
                "Change " + id, "jdoe", UUID.randomUUID().toString(), fork == null ? repository : fork, abbreviated,
                "jdoe");
    }

    /** Publishes the pull request change to {@code trunkline.scm-events} as webhook-ingest does. */
    public PullRequestChanged publish(PullRequestChanged change) {
        probe.publish(Topics.SCM_EVENTS, change, "webhook-ingest");
        return change;
    }

    /** Reports a run state of the requested deployment as deploy-service does. */
    public void report(DeploymentRequested request, DeploymentState state) {
        report(request, state, null);
    }

    public void report(DeploymentRequested request, DeploymentState state, String reason) {
        report(request, state, reason, null);
    }

    /** @param targetUrl the page of the run the target started, as deploy-service names it; null for none */
    public void report(DeploymentRequested request, DeploymentState state, String reason, String targetUrl) {
        probe.publish(Topics.DEPLOYMENT_STATUS, new DeploymentStateChanged(UUID.randomUUID(), Instant.now(),
                request.deploymentId(), request.repository(), request.environment(), request.operation(),
                request.commit(), request.pullRequestId(), state, reason, request.branch(), request.tag(), null, null,
                targetUrl), "deploy-service");
    }

    /**
     * Reports IN_PROGRESS, then FAILED because the post-deploy check {@code check} failed, as deploy-service
     * does, and waits until promotion-service has recorded the failure.
     */
    public void failVerification(DeploymentRequested request, String check) {
        report(request, DeploymentState.IN_PROGRESS);
        probe.publish(Topics.DEPLOYMENT_STATUS, new DeploymentStateChanged(UUID.randomUUID(), Instant.now(),
                request.deploymentId(), request.repository(), request.environment(), request.operation(),
                request.commit(), request.pullRequestId(), DeploymentState.FAILED, "verification failed: " + check,
                request.branch(), request.tag(), null, null, null, new VerificationResult(VerificationResult.FAILED, check,
                        List.of(new VerificationResult.CheckResult(check, "http", VerificationResult.FAILED, 3,
                                "answered 503, expected 200", null)))), "deploy-service");
        awaitState(request.deploymentId(), DeploymentState.FAILED);
    }

    /** Reports IN_PROGRESS then SUCCEEDED, and waits until promotion-service has recorded the success. */
    public void succeed(DeploymentRequested request) {
        report(request, DeploymentState.IN_PROGRESS);
        report(request, DeploymentState.SUCCEEDED);
        awaitState(request.deploymentId(), DeploymentState.SUCCEEDED);
    }

    public List<DeploymentRequested> requests(RepositoryRef repository) {
        return requests.events(DeploymentRequested.class, r -> r.repository().equals(repository));
    }

    /** The {@code number}-th deploy request of the repository (from 1), once it is published. */
    public DeploymentRequested request(RepositoryRef repository, int number) {
        await().atMost(WAIT).until(() -> requests(repository).size() >= number);
        return requests(repository).get(number - 1);
    }

    /** The requests to stop a run that promotion-service sent deploy-service. */
    public List<DeploymentCancelRequested> cancelRequests(RepositoryRef repository) {
        return requests.events(DeploymentCancelRequested.class, r -> r.repository().equals(repository));
    }

    /** The id of the deployment of {@code commit} once it entered {@code state}. */
    public UUID deploymentOf(RepositoryRef repository, String commit, DeploymentState state) {
        await().atMost(WAIT).until(() -> states(repository).stream()
                .anyMatch(s -> s.commit().equals(commit) && s.state() == state));
        return states(repository).stream().filter(s -> s.commit().equals(commit) && s.state() == state)
                .reduce((first, second) -> second).orElseThrow().deploymentId();
    }

    /** The id of the deployment of {@code commit} to {@code environment} once it entered {@code state}. */
    public UUID deploymentOf(RepositoryRef repository, String environment, String commit, DeploymentState state) {
        await().atMost(WAIT).until(() -> states(repository).stream().anyMatch(s -> s.commit().equals(commit)
                && s.environment().equals(environment) && s.state() == state));
        return states(repository).stream().filter(s -> s.commit().equals(commit) && s.environment().equals(environment)
                && s.state() == state).reduce((first, second) -> second).orElseThrow().deploymentId();
    }

    /** The latest state published for the deployment, with its reason, once there is one. */
    public DeploymentStateChanged latestState(UUID deploymentId) {
        await().atMost(WAIT).until(() -> !states(deploymentId).isEmpty());
        List<DeploymentStateChanged> published = states(deploymentId);
        return published.get(published.size() - 1);
    }

    public List<DeploymentStateChanged> states(RepositoryRef repository) {
        return states.events(DeploymentStateChanged.class, s -> s.repository().equals(repository));
    }

    public List<DeploymentStateChanged> states(UUID deploymentId) {
        return states.events(DeploymentStateChanged.class, s -> s.deploymentId().equals(deploymentId));
    }

    public List<DeploymentState> statesOf(UUID deploymentId) {
        return states(deploymentId).stream().map(DeploymentStateChanged::state).toList();
    }

    /** Status and SCM events travel on different topics: a test that needs one before the other waits for it. */
    public static void awaitState(UUID deploymentId, DeploymentState state) {
        await().atMost(WAIT).until(() -> stateOf(deploymentId) == state);
    }

    public static DeploymentState stateOf(UUID deploymentId) {
        return QuarkusTransaction.requiringNew().call(() ->
                DeploymentEntity.<DeploymentEntity>findById(deploymentId).state);
    }

    @Override
    public void close() {
        probe.close();
    }
}
