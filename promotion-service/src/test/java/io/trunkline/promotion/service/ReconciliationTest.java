package io.trunkline.promotion.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.PullRequestAction;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.InjectWireMock;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TopicProbe;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import io.trunkline.promotion.service.Reconciliation.Outcome;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation of missed webhooks on the real broker and database, Bitbucket Cloud and Data Center as
 * WireMock. The schedule is out of the way in tests: each test runs {@link Reconciliation#runDue} itself and
 * makes its repository due again by moving its last run an hour back.
 */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class ReconciliationTest {

    private static final String TRUNK_AND_TAGS = """
            [ { "name": "staging", "trigger": "trunk",
                "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/staging/{commit}" } },
              { "name": "production", "trigger": "release-tag",
                "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/prod/{tag}" } } ]""";

    private static final String PREVIEWS = """
            [ { "name": "preview", "trigger": "pull-request",
                "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/previews/{pr}?commit={commit}" } },
              { "name": "staging", "trigger": "trunk",
                "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/staging/{commit}" } } ]""";

    private static PromotionTopics topics;
    private static TopicProbe scmProbe;
    private static TopicProbe.Recording scmEvents;

    @InjectWireMock(PromotionTestResources.BITBUCKET_CLOUD)
    WireMockServer bitbucket;

    @InjectWireMock(PromotionTestResources.BITBUCKET_DATA_CENTER)
    WireMockServer dataCenter;

    @Inject
    Reconciliation reconciliation;

    @Inject
    EntityManager entityManager;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
        scmProbe = new TopicProbe(TestServers.get().bootstrapServers());
        scmEvents = scmProbe.record(Topics.SCM_EVENTS);
    }

    @AfterAll
    static void stop() {
        topics.close();
        scmProbe.close();
    }

    private static RepositoryRef configure(String environments, String interval) {
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "rec-" + UUID.randomUUID());
        given().contentType(ContentType.JSON)
                .body("{ \"environments\": " + environments + ", \"reconcile\": { \"interval\": \"" + interval + "\" } }")
                .put("/api/repositories/" + repository.workspace() + "/" + repository.slug())
                .then().statusCode(201);
        return repository;
    }

    private static String base(RepositoryRef repository) {
        return "/2.0/repositories/" + repository.workspace() + "/" + repository.slug();
    }

    private void trunkAt(RepositoryRef repository, String commit) {
        bitbucket.stubFor(get(urlEqualTo(base(repository) + "/refs/branches/main"))
                .willReturn(okJson("{\"name\": \"main\", \"type\": \"branch\", \"target\": {\"hash\": \"" + commit
                        + "\", \"type\": \"commit\"}}")));
    }

    /** Bitbucket lists these tags, {@code name, commit, name, commit, ...}, on one page. */
    private void tags(RepositoryRef repository, String... nameAndCommit) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < nameAndCommit.length; i += 2) {
            values.append(i == 0 ? "" : ", ").append("{\"name\": \"").append(nameAndCommit[i])
                    .append("\", \"type\": \"tag\", \"target\": {\"hash\": \"").append(nameAndCommit[i + 1]).append("\"}}");
        }
        bitbucket.stubFor(get(urlPathEqualTo(base(repository) + "/refs/tags"))
                .willReturn(okJson("{\"pagelen\": 100, \"page\": 1, \"values\": [" + values + "]}")));
    }

    private void openPullRequests(RepositoryRef repository, String values) {
        bitbucket.stubFor(get(urlPathEqualTo(base(repository) + "/pullrequests"))
                .willReturn(okJson("{\"pagelen\": 50, \"page\": 1, \"values\": [" + values + "]}")));
    }

    private Map<RepositoryRef, Outcome> run() {
        return reconciliation.runDue();
    }

    /** As if the interval had passed since the repository's last run. */
    private void due(RepositoryRef repository) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                        "UPDATE reconcile_state SET last_run_at = last_run_at - INTERVAL '1 hour' WHERE provider = ?1 "
                                + "AND workspace = ?2 AND slug = ?3")
                .setParameter(1, repository.provider().id())
                .setParameter(2, repository.workspace())
                .setParameter(3, repository.slug())
                .executeUpdate());
    }

    private static List<RefsPushed> raisedPushes(RepositoryRef repository) {
        return scmEvents.events(RefsPushed.class, push -> push.repository().equals(repository));
    }

    private static void nothingMoreThan(RepositoryRef repository, int requests) {
        await().during(Duration.ofMillis(1500)).atMost(WAIT)
                .until(() -> topics.requests(repository).size() == requests);
    }

    @Test
    void theFirstRunRecordsWhatExistsAndRaisesNothing() {
        RepositoryRef repository = configure(TRUNK_AND_TAGS, "1m");
        trunkAt(repository, commit());
        tags(repository, "release-1", commit(), "release-2", commit());

        assertThat(run()).containsEntry(repository, Outcome.BASELINE);
        bitbucket.verify(getRequestedFor(urlPathEqualTo(base(repository) + "/refs/tags"))
                .withQueryParam("q", WireMock.equalTo("name ~ \"release-\""))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + PromotionTestResources.TOKEN)));
        assertThat(run()).as("not due again before its interval").doesNotContainKey(repository);

        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        nothingMoreThan(repository, 0);
        assertThat(raisedPushes(repository)).isEmpty();
    }

    @Test
    void aTrunkHeadMovedWithoutAWebhookDeploysStagingOnceAndTheLateWebhookDeploysNothing() {
        RepositoryRef repository = configure(TRUNK_AND_TAGS, "1m");
        String before = commit();
        String after = commit();
        trunkAt(repository, before);
        tags(repository);
        assertThat(run()).containsEntry(repository, Outcome.BASELINE);

        trunkAt(repository, after);
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        DeploymentRequested deployed = topics.request(repository, 1);
        assertThat(deployed.environment()).isEqualTo("staging");
        assertThat(deployed.commit()).isEqualTo(after);
        assertThat(deployed.branch()).isEqualTo("main");

        await().atMost(WAIT).until(() -> raisedPushes(repository).size() == 1);
        RefsPushed raised = raisedPushes(repository).get(0);
        assertThat(raised.actor()).isEqualTo(Reconciliation.ACTOR);
        assertThat(raised.changes()).singleElement().satisfies(change -> {
            assertThat(change.refType()).isEqualTo(RefType.BRANCH);
            assertThat(change.refName()).isEqualTo("main");
            assertThat(change.oldCommit()).as("from what the baseline saw").isEqualTo(before);
            assertThat(change.newCommit()).isEqualTo(after);
        });

        // the next run sees the same head: nothing; a redelivery of the raised event: nothing
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        topics.publish(raised);
        // the webhook that was late all along: the same change, deployed once
        topics.publish(repository, RefType.BRANCH, "main", before, after);
        nothingMoreThan(repository, 1);
        assertThat(raisedPushes(repository)).hasSize(3); // the raised push, its redelivery, the webhook
    }

    @Test
    void aHeadAWebhookAlreadyReportedRaisesNothing() {
        RepositoryRef repository = configure(TRUNK_AND_TAGS, "1m");
        String before = commit();
        String after = commit();
        trunkAt(repository, before);
        tags(repository);
        assertThat(run()).containsEntry(repository, Outcome.BASELINE);

        topics.publish(repository, RefType.BRANCH, "main", before, after);
        assertThat(topics.request(repository, 1).commit()).isEqualTo(after);
        trunkAt(repository, after);
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        nothingMoreThan(repository, 1);
        assertThat(scmEvents.events(RefsPushed.class, push -> push.repository().equals(repository)
                && Reconciliation.ACTOR.equals(push.actor()))).isEmpty();
    }

    @Test
    void aWebhookLaterThanARunIsCorrectedByTheNextRun() {
        RepositoryRef repository = configure(TRUNK_AND_TAGS, "1m");
        String a = commit();
        String b = commit();
        String c = commit();
        trunkAt(repository, a);
        tags(repository);
        assertThat(run()).containsEntry(repository, Outcome.BASELINE);

        // A→B→C while the webhooks were failing: the run raises A→C
        trunkAt(repository, c);
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        DeploymentRequested first = topics.request(repository, 1);
        assertThat(first.commit()).isEqualTo(c);
        topics.succeed(first);
        // then Bitbucket's retry of A→B gets through: not recognised as late, B is deployed
        topics.publish(repository, RefType.BRANCH, "main", a, b);
        DeploymentRequested older = topics.request(repository, 2);
        assertThat(older.commit()).isEqualTo(b);
        topics.succeed(older);
        // the next run finds the trunk at C while B is known: staging goes back to C
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        DeploymentRequested back = topics.request(repository, 3);
        assertThat(back.commit()).isEqualTo(c);
        assertThat(raisedPushes(repository).get(raisedPushes(repository).size() - 1).changes().get(0).oldCommit())
                .isEqualTo(b);
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        nothingMoreThan(repository, 3);
    }

    @Test
    void aNewReleaseTagRaisesItsPushAndOtherTagsNothing() {
        RepositoryRef repository = configure(TRUNK_AND_TAGS, "1m");
        String head = commit();
        String old = commit();
        trunkAt(repository, head);
        tags(repository, "release-1", old);
        assertThat(run()).containsEntry(repository, Outcome.BASELINE);

        tags(repository, "release-1", old, "release-2", head, "v2-release-3", head);
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        DeploymentRequested production = topics.request(repository, 1);
        assertThat(production.environment()).isEqualTo("production");
        assertThat(production.tag()).isEqualTo("release-2");
        assertThat(production.commit()).isEqualTo(head);
        nothingMoreThan(repository, 1);
        assertThat(raisedPushes(repository)).singleElement().satisfies(push -> assertThat(push.changes())
                .singleElement().satisfies(change -> {
                    assertThat(change.refType()).isEqualTo(RefType.TAG);
                    assertThat(change.refName()).isEqualTo("release-2");
                    assertThat(change.oldCommit()).isNull();
                }));
    }

    @Test
    void aPullRequestOpenedWithoutAWebhookGetsItsPreview() {
        RepositoryRef repository = configure(PREVIEWS, "1m");
        trunkAt(repository, commit());
        openPullRequests(repository, "");
        assertThat(run()).containsEntry(repository, Outcome.BASELINE);

        String head = commit();
        bitbucket.stubFor(get(urlEqualTo(base(repository) + "/commit/" + head.substring(0, 12)))
                .willReturn(okJson("{\"hash\": \"" + head + "\", \"type\": \"commit\"}")));
        openPullRequests(repository, """
                { "id": 9, "title": "Faster checkout", "state": "OPEN",
                  "source": { "branch": { "name": "feature/checkout" }, "commit": { "hash": "%s" },
                              "repository": { "full_name": "%s" } },
                  "destination": { "branch": { "name": "main" }, "commit": { "hash": "0123456789ab" },
                                   "repository": { "full_name": "%s" } },
                  "author": { "display_name": "Jane Doe" } }"""
                .formatted(head.substring(0, 12), repository.fullName(), repository.fullName()));
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);

        DeploymentRequested preview = topics.request(repository, 1);
        assertThat(preview.environment()).isEqualTo("preview/pr-9");
        assertThat(preview.commit()).as("the full hash Bitbucket resolved").isEqualTo(head);
        assertThat(preview.branch()).isEqualTo("feature/checkout");
        PullRequestChanged raised = scmEvents.events(PullRequestChanged.class, pr -> pr.repository().equals(repository))
                .get(0);
        assertThat(raised.action()).isEqualTo(PullRequestAction.OPENED);
        assertThat(raised.fromFork()).isFalse();
        assertThat(raised.sourceCommitAbbreviated()).isTrue();
        assertThat(raised.author()).isEqualTo("Jane Doe");
        assertThat(raised.actor()).isEqualTo(Reconciliation.ACTOR);

        // the webhook for it, late: the preview already has that head commit
        topics.publish(PromotionTopics.pullRequest(repository, 9, PullRequestAction.OPENED, head, true, null));
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        nothingMoreThan(repository, 1);
    }

    @Test
    void aPullRequestMergedOrDeletedWithoutAWebhookEndsItsPreviewOnce() {
        RepositoryRef repository = configure("""
                [ { "name": "preview", "trigger": "pull-request",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/previews/{pr}" },
                    "teardown": { "type": "http", "method": "DELETE", "url": "https://deploy.example.com/previews/{pr}" } } ]""",
                "1m");
        openPullRequests(repository, "");
        assertThat(run()).containsEntry(repository, Outcome.BASELINE);
        String merged = commit();
        String deleted = commit();
        topics.publish(PromotionTopics.pullRequest(repository, 11, PullRequestAction.OPENED, merged, false, null));
        topics.succeed(topics.request(repository, 1));
        topics.publish(PromotionTopics.pullRequest(repository, 12, PullRequestAction.OPENED, deleted, false, null));
        topics.succeed(topics.request(repository, 2));

        // #11 still open: nothing is asked about it, nothing raised
        openPullRequests(repository, openPullRequest(repository, 11, merged) + ", " + openPullRequest(repository, 12, deleted));
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        nothingMoreThan(repository, 2);

        // both gone from the open list: #11 was merged, #12 deleted (Bitbucket answers 404)
        openPullRequests(repository, "");
        bitbucket.stubFor(get(urlEqualTo(base(repository) + "/pullrequests/11")).willReturn(okJson(
                openPullRequest(repository, 11, merged).replace("\"OPEN\"", "\"MERGED\""))));
        bitbucket.stubFor(get(urlEqualTo(base(repository) + "/pullrequests/12")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"type\": \"error\", \"error\": {\"message\": \"Not found\"}}")));
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);

        await().atMost(WAIT).until(() -> topics.requests(repository).size() == 4);
        assertThat(topics.requests(repository).subList(2, 4))
                .extracting(DeploymentRequested::environment, DeploymentRequested::operation)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("preview/pr-11", DeploymentOperation.TEARDOWN),
                        org.assertj.core.groups.Tuple.tuple("preview/pr-12", DeploymentOperation.TEARDOWN));
        List<PullRequestChanged> raised = scmEvents.events(PullRequestChanged.class,
                pr -> pr.repository().equals(repository) && Reconciliation.ACTOR.equals(pr.actor()));
        assertThat(raised).extracting(PullRequestChanged::pullRequestId, PullRequestChanged::action)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(11L, PullRequestAction.MERGED),
                        org.assertj.core.groups.Tuple.tuple(12L, PullRequestAction.DECLINED));

        // the webhook for the merge, late, and the next run: the previews are closed, nothing more
        topics.publish(PromotionTopics.pullRequest(repository, 11, PullRequestAction.MERGED, merged, false, null));
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        nothingMoreThan(repository, 4);
        bitbucket.verify(1, getRequestedFor(urlEqualTo(base(repository) + "/pullrequests/11")));
    }

    private static String openPullRequest(RepositoryRef repository, long id, String commit) {
        return """
                { "id": %d, "title": "Change %d", "state": "OPEN",
                  "source": { "branch": { "name": "feature/%d" }, "commit": { "hash": "%s" },
                              "repository": { "full_name": "%s" } },
                  "destination": { "branch": { "name": "main" }, "commit": { "hash": "0123456789ab" },
                                   "repository": { "full_name": "%s" } },
                  "author": { "display_name": "Jane Doe" } }"""
                .formatted(id, id, id, commit, repository.fullName(), repository.fullName());
    }

    @Test
    void bitbucketAnswering500RaisesNothingAndTheNextRunWorks() {
        RepositoryRef repository = configure(TRUNK_AND_TAGS, "1m");
        String before = commit();
        String after = commit();
        trunkAt(repository, before);
        tags(repository);
        assertThat(run()).containsEntry(repository, Outcome.BASELINE);

        bitbucket.stubFor(get(urlEqualTo(base(repository) + "/refs/branches/main"))
                .willReturn(aResponse().withStatus(500).withBody("{\"type\": \"error\"}")));
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.FAILED);
        assertThat(run()).as("tried again after the interval, not at once").doesNotContainKey(repository);
        nothingMoreThan(repository, 0);

        trunkAt(repository, after);
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        assertThat(topics.request(repository, 1).commit()).isEqualTo(after);
        nothingMoreThan(repository, 1);
    }

    @Test
    void twoInstancesDoNotBothReconcileARepository() throws Exception {
        RepositoryRef repository = configure(TRUNK_AND_TAGS, "1m");
        String before = commit();
        String after = commit();
        trunkAt(repository, before);
        tags(repository);
        assertThat(run()).containsEntry(repository, Outcome.BASELINE);

        bitbucket.stubFor(get(urlEqualTo(base(repository) + "/refs/branches/main"))
                .willReturn(okJson("{\"name\": \"main\", \"target\": {\"hash\": \"" + after + "\"}}")
                        .withFixedDelay(1000)));
        due(repository);
        bitbucket.resetRequests();
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Map<RepositoryRef, Outcome>> first = CompletableFuture.supplyAsync(() -> {
            awaitLatch(start);
            return run();
        });
        CompletableFuture<Map<RepositoryRef, Outcome>> second = CompletableFuture.supplyAsync(() -> {
            awaitLatch(start);
            return run();
        });
        start.countDown();
        List<Outcome> outcomes = java.util.stream.Stream.of(first.get(), second.get())
                .filter(ran -> ran.containsKey(repository)).map(ran -> ran.get(repository)).toList();
        assertThat(outcomes).containsExactly(Outcome.RECONCILED);
        bitbucket.verify(1, getRequestedFor(urlEqualTo(base(repository) + "/refs/branches/main")));
        assertThat(topics.request(repository, 1).commit()).isEqualTo(after);
        nothingMoreThan(repository, 1);
    }

    @Test
    void aDataCenterRepositoryIsReconciledThroughItsServer() {
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "ACME", "rec-" + UUID.randomUUID());
        given().contentType(ContentType.JSON).queryParam("provider", "bitbucket-data-center")
                .body("{ \"environments\": " + TRUNK_AND_TAGS + ", \"reconcile\": { \"interval\": \"5m\" } }")
                .put("/api/repositories/" + repository.workspace() + "/" + repository.slug())
                .then().statusCode(201);
        String base = "/rest/api/1.0/projects/ACME/repos/" + repository.slug();
        String before = commit();
        String after = commit();
        String tagged = commit();
        dataCenter.stubFor(get(urlPathEqualTo(base + "/branches")).willReturn(okJson("""
                {"size": 2, "isLastPage": true, "start": 0, "values": [
                  {"id": "refs/heads/main-old", "displayId": "main-old", "latestCommit": "%s"},
                  {"id": "refs/heads/main", "displayId": "main", "latestCommit": "%s"}]}""".formatted(commit(), before))));
        dataCenter.stubFor(get(urlPathEqualTo(base + "/tags")).willReturn(okJson(
                "{\"size\": 0, \"isLastPage\": true, \"start\": 0, \"values\": []}")));
        assertThat(run()).containsEntry(repository, Outcome.BASELINE);

        dataCenter.stubFor(get(urlPathEqualTo(base + "/branches")).willReturn(okJson("""
                {"size": 1, "isLastPage": true, "start": 0, "values": [
                  {"id": "refs/heads/main", "displayId": "main", "latestCommit": "%s"}]}""".formatted(after))));
        dataCenter.stubFor(get(urlPathEqualTo(base + "/tags")).willReturn(okJson("""
                {"size": 1, "isLastPage": true, "start": 0, "values": [
                  {"id": "refs/tags/release-7", "displayId": "release-7", "latestCommit": "%s"}]}""".formatted(tagged))));
        due(repository);
        assertThat(run()).containsEntry(repository, Outcome.RECONCILED);
        await().atMost(WAIT).until(() -> topics.requests(repository).size() == 2);
        assertThat(topics.requests(repository)).extracting(DeploymentRequested::environment, DeploymentRequested::commit)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("staging", after),
                        org.assertj.core.groups.Tuple.tuple("production", tagged));
        dataCenter.verify(getRequestedFor(urlPathEqualTo(base + "/branches")).withQueryParam("filterText", WireMock.equalTo("main")));
        dataCenter.verify(getRequestedFor(urlPathEqualTo(base + "/tags")).withQueryParam("filterText", WireMock.equalTo("release-")));
    }

    @Test
    void theSettingIsValidatedAndReadBack() {
        String path = "/api/repositories/acme/rec-" + UUID.randomUUID();
        String body = "{ \"environments\": " + TRUNK_AND_TAGS + ", \"reconcile\": %s }";
        given().contentType(ContentType.JSON).body(body.formatted("{ \"interval\": \"30s\" }")).put(path)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("reconcile.interval"))
                .body("errors[0].message", equalTo("must be at least 1m"));
        given().contentType(ContentType.JSON).body(body.formatted("{ \"interval\": \"often\" }")).put(path)
                .then().statusCode(400).body("errors[0].field", equalTo("reconcile.interval"));
        given().contentType(ContentType.JSON).body(body.formatted("{}")).put(path)
                .then().statusCode(400).body("errors[0].field", equalTo("reconcile.interval"));
        given().contentType(ContentType.JSON).body(body.formatted("{ \"interval\": \"10m\", \"jitter\": \"1m\" }")).put(path)
                .then().statusCode(400).body("errors[0].field", equalTo("reconcile.jitter"));
        given().get(path).then().statusCode(404);

        given().contentType(ContentType.JSON).body(body.formatted("{ \"interval\": \"1h30m\" }")).put(path)
                .then().statusCode(201);
        given().get(path).then().statusCode(200).body("reconcile.interval", equalTo("1h30m"));
        given().contentType(ContentType.JSON).body("{ \"environments\": " + TRUNK_AND_TAGS + " }").put(path)
                .then().statusCode(200);
        given().get(path).then().statusCode(200).body("$", not(hasKey("reconcile")));
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
