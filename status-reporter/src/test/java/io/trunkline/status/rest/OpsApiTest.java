package io.trunkline.status.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static io.trunkline.status.DeploymentEvents.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.infra.test.InjectWireMock;
import io.trunkline.status.DeploymentEvents;
import io.trunkline.status.ShortTimeoutsProfile;
import io.trunkline.status.StatusReporterTestResources;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every route of the ops API and its filters, on a read model built from events on the real broker. */
@QuarkusTest
@TestSecurity(user = "viewer", roles = "viewer") // not about authentication: AuthorizationTest is
@TestProfile(ShortTimeoutsProfile.class)
class OpsApiTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final UUID ACCEPT_ALL = UUID.fromString("00000000-0000-0000-0000-0000000a11ed");

    private static KafkaCompanion kafka;

    @InjectWireMock(StatusReporterTestResources.BITBUCKET_CLOUD)
    WireMockServer cloud;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @BeforeAll
    static void connect() {
        kafka = DeploymentEvents.kafka();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @BeforeEach
    void bitbucketAcceptsStatuses() {
        if (cloud.getStubMappings().stream().noneMatch(stub -> stub.getId().equals(ACCEPT_ALL))) {
            cloud.stubFor(post(urlPathMatching("/2.0/repositories/.*")).withId(ACCEPT_ALL).atPriority(20)
                    .willReturn(aResponse().withStatus(201)));
        }
    }

    @Test
    void deploymentsAreListedNewestFirstAndFilteredByRepositoryEnvironmentStateAndSince() {
        RepositoryRef repository = repository();
        DeploymentEvents staging = new DeploymentEvents(repository, "staging");
        DeploymentEvents production = new DeploymentEvents(repository, "production");
        DeploymentEvents rejected = new DeploymentEvents(repository, "production");
        Instant now = Instant.now();
        produce(kafka, staging.at(now.minusSeconds(300), DeploymentState.SUCCEEDED, null),
                production.at(now.minusSeconds(200), DeploymentState.FAILED, "Target answered 500"),
                rejected.at(now.minusSeconds(100), DeploymentState.REJECTED, "Not tested in staging"));
        String name = repository.fullName();
        await().atMost(PATIENCE).untilAsserted(() -> given().queryParam("repository", name).get("/api/deployments")
                .then().statusCode(200).body("items", hasSize(3)));

        given().queryParam("repository", name).get("/api/deployments").then()
                .body("items.id", contains(rejected.deploymentId().toString(), production.deploymentId().toString(),
                        staging.deploymentId().toString()))
                .body("items[0].repository", equalTo(name))
                .body("items[0].provider", equalTo("bitbucket-cloud"))
                .body("items[0].state", equalTo("REJECTED"))
                .body("items[0].reason", equalTo("Not tested in staging"))
                .body("items[0].commit", equalTo(rejected.commit()))
                .body("next", nullValue());
        given().queryParam("repository", name).queryParam("environment", "production").get("/api/deployments").then()
                .body("items.id", contains(rejected.deploymentId().toString(), production.deploymentId().toString()));
        given().queryParam("repository", name).queryParam("state", "FAILED,SUCCEEDED").get("/api/deployments").then()
                .body("items.id", contains(production.deploymentId().toString(), staging.deploymentId().toString()));
        given().queryParam("repository", name).queryParam("state", "rejected").queryParam("state", "succeeded")
                .get("/api/deployments").then()
                .body("items.id", contains(rejected.deploymentId().toString(), staging.deploymentId().toString()));
        given().queryParam("repository", name).queryParam("since", now.minusSeconds(150).toString())
                .get("/api/deployments").then()
                .body("items.id", contains(rejected.deploymentId().toString()));
    }

    @Test
    void pagesAreFollowedThroughTheNextLinkUntilTheLast() {
        RepositoryRef repository = repository();
        Instant now = Instant.now();
        List<DeploymentEvents> deployments = List.of(new DeploymentEvents(repository, "staging"),
                new DeploymentEvents(repository, "staging"), new DeploymentEvents(repository, "staging"),
                new DeploymentEvents(repository, "staging"), new DeploymentEvents(repository, "staging"));
        for (int i = 0; i < deployments.size(); i++) {
            produce(kafka, deployments.get(i).at(now.minusSeconds(100 - i), DeploymentState.SUCCEEDED, null));
        }
        await().atMost(PATIENCE).untilAsserted(() -> given().queryParam("repository", repository.fullName())
                .get("/api/deployments").then().body("items", hasSize(5)));

        JsonPath first = given().queryParam("repository", repository.fullName()).queryParam("limit", 2)
                .get("/api/deployments").then().statusCode(200).header("Link", containsString("rel=\"next\""))
                .extract().jsonPath();
        JsonPath second = given().urlEncodingEnabled(false).get(first.getString("next")).then().statusCode(200).extract().jsonPath();
        JsonPath third = given().urlEncodingEnabled(false).get(second.getString("next")).then().statusCode(200).extract().jsonPath();

        assertThat(first.getList("items.id", String.class)).containsExactly(
                deployments.get(4).deploymentId().toString(), deployments.get(3).deploymentId().toString());
        assertThat(second.getList("items.id", String.class)).containsExactly(
                deployments.get(2).deploymentId().toString(), deployments.get(1).deploymentId().toString());
        assertThat(third.getList("items.id", String.class)).containsExactly(deployments.get(0).deploymentId().toString());
        assertThat(third.getString("next")).isNull();
        assertThat(first.getString("next")).contains("repository=" + repository.workspace()).contains("limit=2");
    }

    @Test
    void invalidParametersAreProblemsNamingTheParameter() {
        given().queryParam("repository", "no-slash").get("/api/deployments").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("repository"));
        given().queryParam("state", "BROKEN").get("/api/deployments").then().statusCode(400)
                .body("errors[0].field", equalTo("state"));
        given().queryParam("since", "yesterday").get("/api/deployments").then().statusCode(400)
                .body("errors[0].field", equalTo("since"));
        given().queryParam("after", "not-a-cursor").get("/api/deployments").then().statusCode(400)
                .body("errors[0].field", equalTo("after"));
        given().queryParam("limit", 0).get("/api/deployments").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        given().queryParam("days", 0).get("/api/metrics/dora").then().statusCode(400)
                .body("errors[0].field", equalTo("days"));
        given().get("/api/deployments/not-a-uuid").then().statusCode(400).body("errors[0].field", equalTo("id"));
        given().get("/api/deployments/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:trunkline:problem:deployment-not-found"));
    }

    @Test
    void deploymentComesWithItsTimelineLinksTriggerAndReporting() {
        RepositoryRef repository = repository();
        DeploymentEvents deployment = new DeploymentEvents(repository, "production");
        Instant start = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        produce(kafka, DeploymentEvents.withFields(deployment.at(start, DeploymentState.QUEUED, "Tag release-7"),
                        Map.of("tag", "release-7", "triggeredBy", "push of release-7 by alice")),
                DeploymentEvents.record(deployment.at(start.plusSeconds(5), DeploymentState.IN_PROGRESS, null)
                        .withTargetUrl("https://bitbucket.org/acme/shop/pipelines/results/42")),
                // a state that names no link (promotion-service's, or one written before the field) keeps the known one
                DeploymentEvents.record(deployment.at(start.plusSeconds(20), DeploymentState.SUCCEEDED, "Pipeline #42 succeeded")));
        String path = "/api/deployments/" + deployment.deploymentId();
        await().atMost(PATIENCE).untilAsserted(() -> given().get(path).then().statusCode(200)
                .body("timeline", hasSize(3)).body("reporting.status", equalTo("reported")));

        given().get(path).then()
                .body("deployment.state", equalTo("SUCCEEDED"))
                .body("deployment.ref", equalTo("refs/tags/release-7"))
                .body("deployment.commit", equalTo(deployment.commit()))
                .body("deployment.triggeredBy", equalTo("push of release-7 by alice"))
                .body("deployment.targetUrl", equalTo("https://bitbucket.org/acme/shop/pipelines/results/42"))
                .body("timeline.state", contains("QUEUED", "IN_PROGRESS", "SUCCEEDED"))
                .body("timeline.reason", contains("Tag release-7", null, "Pipeline #42 succeeded"))
                .body("timeline[0].at", equalTo(start.toString()))
                .body("reporting.pendingUpdates", equalTo(0));
    }

    @Test
    void refusalByBitbucketIsShownOnTheDeployment() {
        RepositoryRef repository = repository();
        DeploymentEvents deployment = new DeploymentEvents(repository, "staging");
        cloud.stubFor(post(urlEqualTo("/2.0/repositories/" + repository.fullName() + "/commit/" + deployment.commit()
                + "/statuses/build")).atPriority(1).willReturn(aResponse().withStatus(403)
                .withBody("{\"type\":\"error\",\"error\":{\"message\":\"Your credentials lack the repository:write scope\"}}")));

        produce(kafka, deployment.next(DeploymentState.SUCCEEDED));

        String path = "/api/deployments/" + deployment.deploymentId();
        await().atMost(PATIENCE).untilAsserted(() -> given().get(path).then().statusCode(200)
                .body("reporting.status", equalTo("refused")));
        given().get(path).then()
                .body("deployment.state", equalTo("SUCCEEDED"))
                .body("reporting.refusal", containsString("403"))
                .body("reporting.refusal", containsString("repository:write"))
                .body("deployment.reportRefusal", containsString("403"));
    }

    @Test
    void environmentsShowWhatRunsWhereWhatWaitsAndPreviewsWithTheirPullRequest() {
        RepositoryRef repository = repository();
        Instant now = Instant.now();
        DeploymentEvents running = new DeploymentEvents(repository, "staging");
        DeploymentEvents held = new DeploymentEvents(repository, "staging");
        DeploymentEvents production = new DeploymentEvents(repository, "production");
        DeploymentEvents approval = new DeploymentEvents(repository, "production");
        DeploymentEvents preview = new DeploymentEvents(repository, "preview/pr-7").pullRequest(7);
        DeploymentEvents gonePreview = new DeploymentEvents(repository, "preview/pr-3").pullRequest(3);
        DeploymentEvents goneTeardown = new DeploymentEvents(repository, "preview/pr-3", gonePreview.commit())
                .pullRequest(3).teardown();
        produce(kafka, running.at(now.minusSeconds(600), DeploymentState.SUCCEEDED, null),
                held.at(now.minusSeconds(500), DeploymentState.QUEUED, "held after rollback"),
                production.at(now.minusSeconds(400), DeploymentState.SUCCEEDED, null),
                approval.at(now.minusSeconds(300), DeploymentState.WAITING_APPROVAL, "Waiting for approval"),
                preview.at(now.minusSeconds(200), DeploymentState.SUCCEEDED, null),
                gonePreview.at(now.minusSeconds(190), DeploymentState.SUCCEEDED, null),
                goneTeardown.at(now.minusSeconds(100), DeploymentState.SUCCEEDED, null));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(environments(repository).getList("environments"))
                .hasSize(3));
        JsonPath environments = environments(repository);
        assertThat(environments.getList("environments.name", String.class))
                .containsExactly("production", "staging", "preview/pr-7");
        assertThat(environments.getString("environments[1].current.id")).isEqualTo(running.deploymentId().toString());
        assertThat(environments.getString("environments[1].latest.state")).isEqualTo("QUEUED");
        assertThat(environments.getList("environments[1].pending.reason", String.class))
                .containsExactly("held after rollback");
        assertThat(environments.getString("environments[0].current.commit")).isEqualTo(production.commit());
        assertThat(environments.getList("environments[0].pending.state", String.class)).containsExactly("WAITING_APPROVAL");
        assertThat(environments.getLong("environments[2].pullRequestId")).isEqualTo(7L);
        assertThat(environments.getString("environments[2].current.id")).isEqualTo(preview.deploymentId().toString());
    }

    @Test
    void everyStateChangeIsStreamedAsAServerSentEvent() throws Exception {
        RepositoryRef repository = repository();
        DeploymentEvents deployment = new DeploymentEvents(repository, "staging");
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/events")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (Exception closed) {
                // the test is over
            }
        });
        reader.setDaemon(true);
        reader.start();

        produce(kafka, deployment.next(DeploymentState.QUEUED), deployment.next(DeploymentState.IN_PROGRESS));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(lines).anySatisfy(line -> assertThat(line)
                .startsWith("data:").contains(deployment.deploymentId().toString()).contains("\"state\":\"IN_PROGRESS\"")));
        response.body().close();
    }

    @Test
    void dashboardAnswersAtTheRootAndAtTheDeploymentPageEveryCommitStatusLinksTo() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<title>Trunkline</title>"))
                .body(containsString("name=\"trunkline-promotion-url\" content=\"http://localhost:8081\""));
        given().get("/deployments/" + UUID.randomUUID()).then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("/dashboard/app.js"));
        given().get("/dashboard/app.js").then().statusCode(200);
        given().get("/dashboard/app.css").then().statusCode(200);
    }

    @Test
    void openApiDescribesEveryRoute() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/deployments'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/deployments/{id}'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/environments'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/metrics/dora'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/events'.get", org.hamcrest.Matchers.notNullValue())
                .body("components.schemas.DeploymentDetailView", org.hamcrest.Matchers.notNullValue())
                .body("components.schemas.DeploymentList", org.hamcrest.Matchers.notNullValue())
                .body("components.schemas.DoraReport", org.hamcrest.Matchers.notNullValue());
    }

    private static JsonPath environments(RepositoryRef repository) {
        List<Map<String, Object>> all = given().get("/api/environments").then().statusCode(200).extract()
                .jsonPath().getList("$");
        Map<String, Object> mine = all.stream().filter(entry -> repository.fullName().equals(entry.get("repository")))
                .findFirst().orElse(Map.of("environments", List.of()));
        return JsonPath.from(toJson(mine));
    }

    private static String toJson(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static RepositoryRef repository() {
        return new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "api-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
