package io.trunkline.promotion.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.awaitState;
import static io.trunkline.promotion.PromotionTopics.commit;
import static io.trunkline.promotion.PromotionTopics.pullRequest;
import static io.trunkline.promotion.PromotionTopics.stateOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.PullRequestAction;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.infra.test.InjectWireMock;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import io.trunkline.promotion.service.PullRequestPreviews;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pull-request previews from PullRequestChanged events, on the real broker and database, Bitbucket as WireMock. */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class PullRequestPreviewsTest {

    private static final String PREVIEWS = """
            [ { "name": "preview", "trigger": "pull-request", "ttl": "1h",
                "target":   { "type": "http", "method": "POST", "url": "https://deploy.example.com/previews/{pr}?commit={commit}" },
                "teardown": { "type": "http", "method": "DELETE", "url": "https://deploy.example.com/previews/{pr}" },
                "url": "https://pr-{pr}.preview.example.com" },
              { "name": "staging", "trigger": "trunk",
                "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } } ]""";

    private static PromotionTopics topics;

    @InjectWireMock(PromotionTestResources.BITBUCKET_CLOUD)
    WireMockServer bitbucket;

    @InjectWireMock(PromotionTestResources.BITBUCKET_DATA_CENTER)
    WireMockServer dataCenter;

    @Inject
    PullRequestPreviews previews;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static String commitPath(RepositoryRef repository, String hash) {
        return "/2.0/repositories/" + repository.workspace() + "/" + repository.slug() + "/commit/" + hash;
    }

    /** Bitbucket Cloud resolves the 12-character hash of {@code commit} in {@code repository}. */
    private void bitbucketKnows(RepositoryRef repository, String commit) {
        bitbucket.stubFor(get(urlEqualTo(commitPath(repository, commit.substring(0, 12))))
                .willReturn(okJson("{\"hash\": \"" + commit + "\", \"type\": \"commit\", \"message\": \"x\"}")));
    }

    private static DeploymentStateChanged awaitOnlyState(RepositoryRef repository, DeploymentState state) {
        await().atMost(WAIT).until(() -> topics.states(repository).stream().anyMatch(s -> s.state() == state));
        return topics.states(repository).stream().filter(s -> s.state() == state).findFirst().orElseThrow();
    }

    @Test
    void aPullRequestIsDeployedToItsOwnEnvironmentRedeployedOnNewCommitsAndTornDownOnce() {
        RepositoryRef repository = PromotionTopics.configure(PREVIEWS);
        String first = commit();
        String second = commit();
        bitbucketKnows(repository, first);
        bitbucketKnows(repository, second);

        topics.publish(pullRequest(repository, 7, PullRequestAction.OPENED, first, true, null));
        DeploymentRequested deployed = topics.request(repository, 1);
        assertThat(deployed.environment()).isEqualTo("preview/pr-7");
        assertThat(deployed.commit()).as("the full hash Bitbucket resolved").isEqualTo(first);
        assertThat(deployed.branch()).isEqualTo("feature/7");
        assertThat(deployed.pullRequestId()).isEqualTo(7L);
        assertThat(deployed.operation()).isEqualTo(DeploymentOperation.DEPLOY);
        assertThat(deployed.target().url()).isEqualTo("https://deploy.example.com/previews/{pr}?commit={commit}");
        assertThat(topics.latestState(deployed.deploymentId())).satisfies(queued -> {
            assertThat(queued.state()).isEqualTo(DeploymentState.QUEUED);
            assertThat(queued.environmentUrl()).isEqualTo("https://pr-7.preview.example.com");
            assertThat(queued.branch()).isEqualTo("feature/7");
            assertThat(queued.triggeredBy()).isEqualTo("jdoe");
        });
        bitbucket.verify(getRequestedFor(urlEqualTo(commitPath(repository, first.substring(0, 12))))
                .withHeader("Authorization", equalTo("Bearer " + PromotionTestResources.TOKEN)));
        topics.succeed(deployed);

        // a title edit: same head commit, nothing to deploy; a new commit: deployed again
        topics.publish(pullRequest(repository, 7, PullRequestAction.UPDATED, first, true, null));
        topics.publish(pullRequest(repository, 7, PullRequestAction.UPDATED, second, true, null));
        DeploymentRequested redeployed = topics.request(repository, 2);
        assertThat(redeployed.commit()).isEqualTo(second);
        assertThat(redeployed.environment()).isEqualTo("preview/pr-7");
        topics.report(redeployed, DeploymentState.IN_PROGRESS);

        // merged while the new commit is still being deployed: the teardown waits for it, and runs once
        PullRequestChanged merged = topics.publish(pullRequest(repository, 7, PullRequestAction.MERGED, second, true, null));
        topics.publish(merged);
        topics.publish(pullRequest(repository, 7, PullRequestAction.DECLINED, null, false, null));
        await().atMost(WAIT).until(() -> topics.states(repository).stream()
                .anyMatch(s -> s.operation() == DeploymentOperation.TEARDOWN));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> topics.requests(repository).size() == 2);
        topics.report(redeployed, DeploymentState.SUCCEEDED);

        DeploymentRequested teardown = topics.request(repository, 3);
        assertThat(teardown.operation()).isEqualTo(DeploymentOperation.TEARDOWN);
        assertThat(teardown.environment()).isEqualTo("preview/pr-7");
        assertThat(teardown.commit()).isEqualTo(second);
        assertThat(teardown.target().method()).isEqualTo("DELETE");
        assertThat(teardown.target().url()).isEqualTo("https://deploy.example.com/previews/{pr}");
        assertThat(topics.latestState(teardown.deploymentId()).reason())
                .isEqualTo("pull request #7 merged: tearing down preview/pr-7");
        topics.succeed(teardown);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> topics.requests(repository).size() == 3);
    }

    @Test
    void aForkIsNotDeployedUnlessTheRepositoryAllowsItAndItsHeadCommitSaysWhy() {
        RepositoryRef repository = PromotionTopics.configure(PREVIEWS);
        RepositoryRef fork = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "stranger", repository.slug());
        String commit = commit();
        bitbucketKnows(fork, commit);

        topics.publish(pullRequest(repository, 3, PullRequestAction.OPENED, commit, true, fork));
        topics.publish(pullRequest(repository, 3, PullRequestAction.UPDATED, commit, true, fork));

        DeploymentStateChanged rejected = awaitOnlyState(repository, DeploymentState.REJECTED);
        assertThat(rejected.environment()).isEqualTo("preview/pr-3");
        assertThat(rejected.commit()).as("the status goes on the full head commit").isEqualTo(commit);
        assertThat(rejected.reason()).isEqualTo("pull request #3 comes from a fork (stranger/" + repository.slug()
                + "): code nobody in the team reviewed is not deployed unless the repository sets \"previewForks\": true");
        // declined: it was never deployed, so there is nothing to tear down
        topics.publish(pullRequest(repository, 3, PullRequestAction.DECLINED, null, false, fork));
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() -> {
            assertThat(topics.requests(repository)).isEmpty();
            assertThat(topics.states(repository)).hasSize(1);
        });

        RepositoryRef trusting = PromotionTopics.configure(PREVIEWS, true);
        RepositoryRef trustedFork = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "colleague", trusting.slug());
        bitbucketKnows(trustedFork, commit);
        topics.publish(pullRequest(trusting, 4, PullRequestAction.OPENED, commit, true, trustedFork));
        assertThat(topics.request(trusting, 1).commit()).isEqualTo(commit);
    }

    @Test
    void aHeadCommitBitbucketDoesNotKnowIsRejectedWithItsAnswer() {
        RepositoryRef repository = PromotionTopics.configure(PREVIEWS);
        String commit = commit();
        bitbucket.stubFor(get(urlEqualTo(commitPath(repository, commit.substring(0, 12))))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"type\": \"error\", \"error\": {\"message\": \"Commit not found\"}}")));

        topics.publish(pullRequest(repository, 5, PullRequestAction.OPENED, commit, true, null));

        DeploymentStateChanged rejected = awaitOnlyState(repository, DeploymentState.REJECTED);
        assertThat(rejected.environment()).isEqualTo("preview/pr-5");
        assertThat(rejected.reason()).isEqualTo("head commit " + commit.substring(0, 12) + " cannot be resolved: "
                + "Bitbucket knows no commit " + commit.substring(0, 12) + " of " + repository.fullName());
        assertThat(topics.requests(repository)).isEmpty();
    }

    @Test
    void aResolutionThatFailsTransientlyIsRetriedUntilBitbucketAnswers() {
        RepositoryRef repository = PromotionTopics.configure(PREVIEWS);
        String commit = commit();
        String path = commitPath(repository, commit.substring(0, 12));
        bitbucket.stubFor(get(urlEqualTo(path)).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("still down"));
        bitbucket.stubFor(get(urlEqualTo(path)).inScenario("outage").whenScenarioStateIs("still down")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("back"));
        bitbucket.stubFor(get(urlEqualTo(path)).inScenario("outage").whenScenarioStateIs("back")
                .willReturn(okJson("{\"hash\": \"" + commit + "\"}")));

        topics.publish(pullRequest(repository, 6, PullRequestAction.OPENED, commit, true, null));

        assertThat(topics.request(repository, 1).commit()).isEqualTo(commit);
        assertThat(bitbucket.countRequestsMatching(getRequestedFor(urlEqualTo(path)).build()).getCount())
                .isGreaterThanOrEqualTo(3);
        assertThat(topics.states(repository)).noneMatch(s -> s.state() == DeploymentState.REJECTED);
    }

    @Test
    void aPullRequestOfAnUnknownRepositoryOrWithoutPreviewsDeploysNothingAndAsksBitbucketNothing() {
        RepositoryRef unknown = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "unknown-" + UUID.randomUUID());
        RepositoryRef withoutPreviews = PromotionTopics.configureStaging();
        topics.publish(pullRequest(unknown, 1, PullRequestAction.OPENED, commit(), true, null));
        topics.publish(pullRequest(withoutPreviews, 1, PullRequestAction.OPENED, commit(), true, null));
        topics.publish(pullRequest(withoutPreviews, 1, PullRequestAction.MERGED, null, false, null));
        // a later event of the same partition (the same repository) shows the ones before were processed
        String commit = commit();
        topics.publish(PromotionTopics.push(withoutPreviews, RefType.BRANCH, "main", null, commit));
        assertThat(topics.request(withoutPreviews, 1).commit()).isEqualTo(commit);

        assertThat(topics.requests(unknown)).isEmpty();
        assertThat(topics.states(unknown)).isEmpty();
        bitbucket.verify(0, getRequestedFor(urlPathMatching("/2.0/repositories/acme/unknown-.*")));
        bitbucket.verify(0, getRequestedFor(urlPathMatching(commitPath(withoutPreviews, ".*"))));
    }

    @Test
    void aPreviewIdleForItsTtlIsTornDownOnceAndANewCommitDeploysItAgain() {
        RepositoryRef repository = PromotionTopics.configure(PREVIEWS);
        String first = commit();
        String second = commit();
        topics.publish(pullRequest(repository, 9, PullRequestAction.OPENED, first, false, null));
        topics.succeed(topics.request(repository, 1));

        previews.expireIdle(Instant.now().plus(Duration.ofMinutes(59)), 1000);
        previews.expireIdle(Instant.now().plus(Duration.ofMinutes(61)), 1000);
        previews.expireIdle(Instant.now().plus(Duration.ofMinutes(62)), 1000);

        DeploymentRequested teardown = topics.request(repository, 2);
        assertThat(teardown.operation()).isEqualTo(DeploymentOperation.TEARDOWN);
        assertThat(topics.latestState(teardown.deploymentId()).reason())
                .isEqualTo("preview idle for 1h (ttl 1h): tearing down preview/pr-9");
        topics.succeed(teardown);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> topics.requests(repository).size() == 2);

        topics.publish(pullRequest(repository, 9, PullRequestAction.UPDATED, second, false, null));
        DeploymentRequested again = topics.request(repository, 3);
        assertThat(again.operation()).isEqualTo(DeploymentOperation.DEPLOY);
        assertThat(again.commit()).isEqualTo(second);
        awaitState(again.deploymentId(), DeploymentState.QUEUED);
        assertThat(stateOf(again.deploymentId())).isEqualTo(DeploymentState.QUEUED);
    }

    @Test
    void anAbbreviatedDataCenterHashIsResolvedOnTheServer() {
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "ACME", "app-" + UUID.randomUUID());
        given().contentType(ContentType.JSON).queryParam("provider", "bitbucket-data-center")
                .body("{ \"environments\": " + PREVIEWS + " }")
                .put("/api/repositories/" + repository.workspace() + "/" + repository.slug())
                .then().statusCode(201);
        String commit = commit();
        dataCenter.stubFor(get(urlEqualTo("/rest/api/1.0/projects/ACME/repos/" + repository.slug() + "/commits/"
                + commit.substring(0, 12))).willReturn(okJson("{\"id\": \"" + commit + "\", \"displayId\": \""
                + commit.substring(0, 11) + "\"}")));

        topics.publish(pullRequest(repository, 2, PullRequestAction.OPENED, commit, true, null));

        DeploymentRequested request = topics.request(repository, 1);
        assertThat(request.commit()).isEqualTo(commit);
        assertThat(request.repository().provider()).isEqualTo(ScmProvider.BITBUCKET_DATA_CENTER);
        dataCenter.verify(getRequestedFor(urlPathMatching("/rest/api/1.0/projects/ACME/repos/.*"))
                .withHeader("Authorization", equalTo("Bearer " + PromotionTestResources.TOKEN)));
    }
}
