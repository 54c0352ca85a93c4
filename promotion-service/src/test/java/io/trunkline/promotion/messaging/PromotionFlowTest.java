package io.trunkline.promotion.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TopicProbe;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.persistence.DeploymentEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** From SCM events to deploy requests and states, on the real broker and database. */
@QuarkusTest
@PromotionTestResources
class PromotionFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TopicProbe probe;
    private static TopicProbe.Recording requests;
    private static TopicProbe.Recording states;

    @BeforeAll
    static void listen() {
        probe = new TopicProbe(TestServers.get().bootstrapServers());
        requests = probe.record(Topics.DEPLOY_REQUESTS);
        states = probe.record(Topics.DEPLOYMENT_STATUS);
    }

    @AfterAll
    static void stop() {
        probe.close();
    }

    private static RepositoryRef configuredRepository() {
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "app-" + UUID.randomUUID());
        given().contentType(ContentType.JSON).body("""
                { "environments": [
                    { "name": "staging", "trigger": "trunk",
                      "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } },
                    { "name": "production", "trigger": "release-tag", "requires": "staging",
                      "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{tag}" } } ] }""")
                .put("/api/repositories/" + repository.workspace() + "/" + repository.slug())
                .then().statusCode(201);
        return repository;
    }

    private static RefsPushed push(RepositoryRef repository, RefType type, String ref, String commit) {
        return new RefsPushed(UUID.randomUUID(), Instant.now(), repository,
                List.of(new RefChange(type, ref, null, commit, false)), "jdoe", "delivery");
    }

    private static String commit() {
        return UUID.randomUUID().toString().replace("-", "") + "00000000";
    }

    private static List<DeploymentRequested> requestsFor(RepositoryRef repository) {
        return requests.events(DeploymentRequested.class, r -> r.repository().equals(repository));
    }

    private static List<DeploymentState> statesOf(UUID deploymentId) {
        return states.events(DeploymentStateChanged.class, s -> s.deploymentId().equals(deploymentId)).stream()
                .map(DeploymentStateChanged::state).toList();
    }

    private static void reportRun(DeploymentRequested request, DeploymentState state) {
        probe.publish(Topics.DEPLOYMENT_STATUS, new DeploymentStateChanged(UUID.randomUUID(), Instant.now(),
                request.deploymentId(), request.repository(), request.environment(), request.operation(),
                request.commit(), null, state, null), "deploy-service");
    }

    /** Status and SCM events travel on different topics: a test that needs one before the other waits for it. */
    private static void awaitState(UUID deploymentId, DeploymentState state) {
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() ->
                DeploymentEntity.<DeploymentEntity>findById(deploymentId).state == state));
    }

    @Test
    void trunkPushRequestsOneStagingDeploymentEvenWhenRedelivered() {
        RepositoryRef repository = configuredRepository();
        String commit = commit();
        RefsPushed push = push(repository, RefType.BRANCH, "main", commit);

        probe.publish(Topics.SCM_EVENTS, push, "webhook-ingest");
        probe.publish(Topics.SCM_EVENTS, push, "webhook-ingest");

        await().atMost(WAIT).untilAsserted(() -> assertThat(requestsFor(repository)).hasSize(1));
        DeploymentRequested request = requestsFor(repository).get(0);
        assertThat(request.environment()).isEqualTo("staging");
        assertThat(request.commit()).isEqualTo(commit);
        assertThat(request.branch()).isEqualTo("main");
        assertThat(request.operation()).isEqualTo(DeploymentOperation.DEPLOY);
        assertThat(request.target().url()).isEqualTo("https://deploy.example.com/{commit}");
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(statesOf(request.deploymentId())).containsExactly(DeploymentState.QUEUED));
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() ->
                assertThat(requestsFor(repository)).hasSize(1));
    }

    @Test
    void releaseTagOfUntestedCommitIsRejectedAndOfTestedCommitPromoted() {
        RepositoryRef repository = configuredRepository();
        String untested = commit();
        probe.publish(Topics.SCM_EVENTS, push(repository, RefType.TAG, "release-1", untested), "webhook-ingest");

        await().atMost(WAIT).untilAsserted(() -> assertThat(states.events(DeploymentStateChanged.class,
                s -> s.repository().equals(repository) && s.state() == DeploymentState.REJECTED))
                .singleElement()
                .satisfies(rejected -> {
                    assertThat(rejected.environment()).isEqualTo("production");
                    assertThat(rejected.reason()).contains("no successful deployment in staging");
                }));
        assertThat(requestsFor(repository)).isEmpty();

        String tested = commit();
        probe.publish(Topics.SCM_EVENTS, push(repository, RefType.BRANCH, "main", tested), "webhook-ingest");
        await().atMost(WAIT).untilAsserted(() -> assertThat(requestsFor(repository)).hasSize(1));
        reportRun(requestsFor(repository).get(0), DeploymentState.IN_PROGRESS);
        reportRun(requestsFor(repository).get(0), DeploymentState.SUCCEEDED);
        awaitState(requestsFor(repository).get(0).deploymentId(), DeploymentState.SUCCEEDED);
        probe.publish(Topics.SCM_EVENTS, push(repository, RefType.TAG, "release-2", tested), "webhook-ingest");

        await().atMost(WAIT).untilAsserted(() -> assertThat(requestsFor(repository)).hasSize(2));
        DeploymentRequested production = requestsFor(repository).get(1);
        assertThat(production.environment()).isEqualTo("production");
        assertThat(production.tag()).isEqualTo("release-2");
        assertThat(production.commit()).isEqualTo(tested);
    }

    @Test
    void oneDeploymentRunsPerEnvironmentAndNewerCommitsSupersedeWaitingOnes() {
        RepositoryRef repository = configuredRepository();
        String first = commit();
        String second = commit();
        String third = commit();
        probe.publish(Topics.SCM_EVENTS, push(repository, RefType.BRANCH, "main", first), "webhook-ingest");
        await().atMost(WAIT).untilAsserted(() -> assertThat(requestsFor(repository)).hasSize(1));
        DeploymentRequested running = requestsFor(repository).get(0);
        reportRun(running, DeploymentState.IN_PROGRESS);

        probe.publish(Topics.SCM_EVENTS, push(repository, RefType.BRANCH, "main", second), "webhook-ingest");
        probe.publish(Topics.SCM_EVENTS, push(repository, RefType.BRANCH, "main", third), "webhook-ingest");

        await().atMost(WAIT).untilAsserted(() -> assertThat(states.events(DeploymentStateChanged.class,
                s -> s.repository().equals(repository) && s.state() == DeploymentState.SUPERSEDED))
                .singleElement()
                .satisfies(superseded -> assertThat(superseded.commit()).isEqualTo(second)));
        assertThat(requestsFor(repository)).hasSize(1);

        reportRun(running, DeploymentState.FAILED);

        await().atMost(WAIT).untilAsserted(() -> assertThat(requestsFor(repository))
                .extracting(DeploymentRequested::commit).containsExactly(first, third));
    }
}
