package io.trunkline.status.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.trunkline.status.DeploymentEvents.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.infra.test.InjectWireMock;
import io.trunkline.status.DeploymentEvents;
import io.trunkline.status.ShortTimeoutsProfile;
import io.trunkline.status.StatusReporterTestResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One comment per pull request with a preview, created once and edited in place, on Cloud and Data Center. */
@QuarkusTest
@TestProfile(ShortTimeoutsProfile.class)
class PullRequestCommentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final UUID CLOUD_STATUSES = UUID.fromString("00000000-0000-0000-0000-00000000c0c0");
    private static final UUID DATA_CENTER_STATUSES = UUID.fromString("00000000-0000-0000-0000-00000000dcdc");

    private static KafkaCompanion kafka;

    @InjectWireMock(StatusReporterTestResources.BITBUCKET_CLOUD)
    WireMockServer cloud;

    @InjectWireMock(StatusReporterTestResources.BITBUCKET_DATA_CENTER)
    WireMockServer dataCenter;

    @BeforeAll
    static void connect() {
        kafka = DeploymentEvents.kafka();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @BeforeEach
    void statusesAreAccepted() {
        if (cloud.getStubMappings().stream().noneMatch(stub -> stub.getId().equals(CLOUD_STATUSES))) {
            cloud.stubFor(post(urlPathMatching("/2.0/repositories/.*/statuses/build")).withId(CLOUD_STATUSES)
                    .atPriority(20).willReturn(aResponse().withStatus(201)));
        }
        if (dataCenter.getStubMappings().stream().noneMatch(stub -> stub.getId().equals(DATA_CENTER_STATUSES))) {
            dataCenter.stubFor(post(urlPathMatching("/rest/api/latest/projects/.*/builds")).withId(DATA_CENTER_STATUSES)
                    .atPriority(20).willReturn(aResponse().withStatus(204)));
        }
    }

    @Test
    void cloudCommentIsCreatedOnceThenEditedOnEachNewCommitAndOnTeardown() {
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "pr-" + suffix());
        String comments = "/2.0/repositories/" + repository.fullName() + "/pullrequests/7/comments";
        cloud.stubFor(post(urlEqualTo(comments)).atPriority(1).willReturn(json(201, "{\"id\": 555, \"content\": {\"raw\": \"x\"}}")));
        cloud.stubFor(put(urlEqualTo(comments + "/555")).atPriority(1).willReturn(json(200, "{\"id\": 555}")));
        DeploymentEvents first = new DeploymentEvents(repository, "preview/pr-7").pullRequest(7);
        DeploymentEvents second = new DeploymentEvents(repository, "preview/pr-7").pullRequest(7);
        DeploymentEvents teardown = new DeploymentEvents(repository, "preview/pr-7", second.commit()).pullRequest(7).teardown();

        produce(kafka, DeploymentEvents.withFields(first.next(DeploymentState.SUCCEEDED),
                Map.of("environmentUrl", "https://pr-7.preview.example.com", "branch", "feature/login")));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(cloud.findAll(postRequestedFor(urlEqualTo(comments)))).hasSize(1));
        String created = raw(cloud.findAll(postRequestedFor(urlEqualTo(comments))).get(0));
        assertThat(created).contains("Trunkline preview: deployed").contains("https://pr-7.preview.example.com")
                .contains(first.commit().substring(0, 12)).contains("/deployments/" + first.deploymentId())
                .contains(PreviewComments.MARKER);

        produce(kafka, DeploymentEvents.withFields(second.next(DeploymentState.SUCCEEDED),
                Map.of("environmentUrl", "https://pr-7.preview.example.com")));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(edits(comments + "/555"))
                .anySatisfy(text -> assertThat(text).contains(second.commit().substring(0, 12)).contains("deployed")));

        produce(kafka, teardown.next(DeploymentState.SUCCEEDED, "Pull request merged"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(edits(comments + "/555"))
                .last().satisfies(text -> assertThat(text).contains("torn down").contains("Pull request merged")
                        .doesNotContain("https://pr-7.preview.example.com")));
        assertThat(cloud.findAll(postRequestedFor(urlEqualTo(comments)))).hasSize(1);
        // the preview's commit status is keyed by the environment it belongs to
        assertThat(cloud.findAll(postRequestedFor(urlPathEqualTo("/2.0/repositories/" + repository.fullName() + "/commit/"
                + first.commit() + "/statuses/build")))).allSatisfy(request ->
                assertThat(body(request).path("key").asText()).isEqualTo("trunkline-preview"));
    }

    @Test
    void dataCenterEditNamesTheCommentsVersionAndRefreshesAStaleOne() {
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "PROJ", "pr-" + suffix());
        String comments = "/rest/api/latest/projects/PROJ/repos/" + repository.slug() + "/pull-requests/12/comments";
        dataCenter.stubFor(post(urlEqualTo(comments)).atPriority(1)
                .willReturn(json(201, "{\"id\": 77, \"version\": 0, \"text\": \"x\"}")));
        String scenario = "stale-" + repository.slug();
        dataCenter.stubFor(put(urlEqualTo(comments + "/77")).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("stale")
                .withRequestBody(matchingJsonPath("$.version", com.github.tomakehurst.wiremock.client.WireMock.equalTo("0")))
                .willReturn(json(409, "{\"errors\":[{\"message\":\"You are attempting to modify a comment based on out-of-date information.\"}]}")));
        dataCenter.stubFor(get(urlEqualTo(comments + "/77")).atPriority(1)
                .willReturn(json(200, "{\"id\": 77, \"version\": 5, \"text\": \"edited by someone\"}")));
        dataCenter.stubFor(put(urlEqualTo(comments + "/77")).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs("stale")
                .withRequestBody(matchingJsonPath("$.version", com.github.tomakehurst.wiremock.client.WireMock.equalTo("5")))
                .willReturn(json(200, "{\"id\": 77, \"version\": 6, \"text\": \"x\"}")));
        DeploymentEvents first = new DeploymentEvents(repository, "preview/pr-12").pullRequest(12);
        DeploymentEvents second = new DeploymentEvents(repository, "preview/pr-12").pullRequest(12);

        produce(kafka, first.next(DeploymentState.SUCCEEDED));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(dataCenter.findAll(postRequestedFor(urlEqualTo(comments)))).hasSize(1));
        assertThat(body(dataCenter.findAll(postRequestedFor(urlEqualTo(comments))).get(0)).path("text").asText())
                .contains("Trunkline preview: deployed");
        produce(kafka, second.next(DeploymentState.FAILED, "Target answered 500"));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(dataCenter.findAll(putRequestedFor(urlEqualTo(comments + "/77"))))
                .extracting(request -> body(request).path("version").asInt()).containsExactly(0, 5));
        LoggedRequest edit = dataCenter.findAll(putRequestedFor(urlEqualTo(comments + "/77"))).get(1);
        assertThat(body(edit).path("text").asText()).contains("failed").contains("Target answered 500");
        assertThat(dataCenter.findAll(postRequestedFor(urlEqualTo(comments)))).hasSize(1);
    }

    @Test
    void creationWhoseAnswerWasLostIsFoundAgainInsteadOfPostingASecondComment() {
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "lost-" + suffix());
        String comments = "/2.0/repositories/" + repository.fullName() + "/pullrequests/9/comments";
        // Bitbucket stores the comment but answers too late: the request times out
        cloud.stubFor(post(urlEqualTo(comments)).atPriority(1)
                .willReturn(json(201, "{\"id\": 999}").withFixedDelay(3_000)));
        cloud.stubFor(get(urlPathEqualTo(comments)).atPriority(1)
                .withQueryParam("q", containing(PreviewComments.MARKER))
                .willReturn(json(200, "{\"values\": [{\"id\": 999, \"content\": {\"raw\": \"### Trunkline preview\\n[//]: # ("
                        + PreviewComments.MARKER + ")\"}}]}")));
        cloud.stubFor(put(urlEqualTo(comments + "/999")).atPriority(1).willReturn(json(200, "{\"id\": 999}")));
        DeploymentEvents deployment = new DeploymentEvents(repository, "preview/pr-9").pullRequest(9);

        produce(kafka, deployment.next(DeploymentState.IN_PROGRESS));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(edits(comments + "/999")).hasSize(1));
        assertThat(cloud.findAll(postRequestedFor(urlEqualTo(comments)))).hasSize(1);
        assertThat(edits(comments + "/999").get(0)).contains("deploying");
    }

    private List<String> edits(String path) {
        return cloud.findAll(putRequestedFor(urlEqualTo(path))).stream().map(PullRequestCommentTest::raw).toList();
    }

    private static String raw(LoggedRequest request) {
        return body(request).path("content").path("raw").asText();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
