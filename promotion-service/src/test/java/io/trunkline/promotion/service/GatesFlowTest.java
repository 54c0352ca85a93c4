package io.trunkline.promotion.service;

import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.commit;
import static io.trunkline.promotion.PromotionTopics.stateOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Soak, freeze windows with their override, and supersede vs queue, on the real broker and database. */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class GatesFlowTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static PromotionTopics topics;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static RepositoryRef stagingAndProduction(String production) {
        return PromotionTopics.configure("""
                [ { "name": "staging", "trigger": "trunk",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } },
                  { "name": "production", "trigger": "release-tag", "requires": "staging", %s
                    "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{tag}" } } ]"""
                .formatted(production));
    }

    /** A freeze window of Europe/Berlin from a minute ago until {@code seconds} from now. */
    private static String freezeFor(long seconds) {
        LocalDateTime now = LocalDateTime.now(BERLIN).truncatedTo(ChronoUnit.SECONDS);
        return """
                "freeze": [ { "name": "incident", "start": "%s", "end": "%s", "zone": "Europe/Berlin" } ],"""
                .formatted(now.minusMinutes(1), now.plusSeconds(seconds));
    }

    private static DeploymentRequested stagingSucceeds(RepositoryRef repository, String oldCommit, String commit,
            int number) {
        topics.publish(repository, RefType.BRANCH, "main", oldCommit, commit);
        DeploymentRequested request = topics.request(repository, number);
        assertThat(request.commit()).isEqualTo(commit);
        topics.succeed(request);
        return request;
    }

    @Test
    void aReleaseWaitsForTheSoakInTheRequiredEnvironmentAndThenStarts() {
        RepositoryRef repository = stagingAndProduction("\"soak\": \"3s\",");
        String tested = commit();
        stagingSucceeds(repository, null, tested, 1);

        topics.publish(repository, RefType.TAG, "release-1", null, tested);
        UUID release = topics.deploymentOf(repository, "production", tested, DeploymentState.QUEUED);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.states(release))
                .anyMatch(state -> state.reason() != null && state.reason().startsWith("soaking in staging until ")
                        && state.reason().endsWith("(soak 3s)")));

        DeploymentRequested production = topics.request(repository, 2);
        assertThat(production.deploymentId()).isEqualTo(release);
        assertThat(production.environment()).isEqualTo("production");
        assertThat(Duration.between(topics.states(repository).stream().filter(s -> s.deploymentId().equals(release))
                .findFirst().orElseThrow().occurredAt(), production.occurredAt())).as("it waited for the soak")
                .isPositive();
    }

    @Test
    void aReleaseOfACommitReplacedInTheRequiredEnvironmentBeforeItsSoakIsRejected() {
        RepositoryRef repository = stagingAndProduction("\"soak\": \"1h\",");
        String replaced = commit();
        String newer = commit();
        stagingSucceeds(repository, null, replaced, 1);
        stagingSucceeds(repository, replaced, newer, 2);

        topics.publish(repository, RefType.TAG, "release-1", null, replaced);

        UUID release = topics.deploymentOf(repository, "production", replaced, DeploymentState.REJECTED);
        assertThat(topics.latestState(release).environment()).isEqualTo("production");
        assertThat(topics.latestState(release).reason()).startsWith("staging ran commit " + replaced.substring(0, 12)
                + " for only ").endsWith(" of the 1h soak before another commit replaced it");
        assertThat(topics.requests(repository)).hasSize(2);
    }

    @Test
    void aDeploymentArrivingInAFreezeWindowWaitsAndStartsWhenItCloses() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "staging", "trigger": "trunk", %s
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } } ]"""
                .formatted(freezeFor(4)));
        String commit = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, commit);

        UUID frozen = topics.deploymentOf(repository, commit, DeploymentState.QUEUED);
        assertThat(topics.latestState(frozen).reason()).startsWith("frozen until ")
                .contains(" (freeze window 'incident' ").endsWith(", Europe/Berlin)");
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> topics.requests(repository).isEmpty());

        await().atMost(WAIT).until(() -> topics.requests(repository).size() == 1);
        assertThat(topics.requests(repository).get(0).deploymentId()).isEqualTo(frozen);
    }

    @Test
    void anOperatorMayLetADeploymentThroughAFreezeWithAReason() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "staging", "trigger": "trunk", %s
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } } ]"""
                .formatted(freezeFor(3600)));
        String commit = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, commit);
        UUID frozen = topics.deploymentOf(repository, commit, DeploymentState.QUEUED);
        await().atMost(WAIT).until(() -> topics.latestState(frozen).reason().startsWith("frozen until "));

        given().contentType(ContentType.JSON).body("{}").post("/api/deployments/" + frozen + "/override-freeze")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("reason"));
        given().contentType(ContentType.JSON).body("{\"reason\": \"hotfix for incident 42\"}")
                .post("/api/deployments/" + frozen + "/override-freeze")
                .then().statusCode(200)
                .body("freezeOverride", equalTo("freeze overridden by local: hotfix for incident 42"));

        assertThat(topics.request(repository, 1).deploymentId()).isEqualTo(frozen);
        given().contentType(ContentType.JSON).body("{\"reason\": \"again\"}")
                .post("/api/deployments/" + frozen + "/override-freeze")
                .then().statusCode(409).body("type", equalTo("urn:trunkline:problem:already-dispatched"));
        given().queryParam("deploymentId", frozen.toString()).get("/api/audit")
                .then().statusCode(200)
                .body("items[0].action", equalTo("deployment.freeze-overridden"))
                .body("items[0].summary", equalTo("let the deployment of " + commit.substring(0, 12)
                        + " to staging through freeze windows: hotfix for incident 42"));
    }

    @Test
    void withQueueEveryCommitRunsInOrderInsteadOfTheNewestSupersedingTheOthers() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "staging", "trigger": "trunk", "concurrency": "queue",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } } ]""");
        String first = commit();
        String second = commit();
        String third = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        DeploymentRequested running = topics.request(repository, 1);
        topics.publish(repository, RefType.BRANCH, "main", first, second);
        topics.publish(repository, RefType.BRANCH, "main", second, third);
        topics.deploymentOf(repository, third, DeploymentState.QUEUED);

        topics.succeed(running);
        DeploymentRequested next = topics.request(repository, 2);
        assertThat(next.commit()).isEqualTo(second);
        topics.report(next, DeploymentState.FAILED, "target answered 500");
        assertThat(topics.request(repository, 3).commit()).isEqualTo(third);
        assertThat(topics.states(repository)).noneMatch(state -> state.state() == DeploymentState.SUPERSEDED);
        assertThat(stateOf(next.deploymentId())).isEqualTo(DeploymentState.FAILED);
    }
}
