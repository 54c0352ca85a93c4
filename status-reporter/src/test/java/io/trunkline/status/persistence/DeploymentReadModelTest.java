package io.trunkline.status.persistence;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.trunkline.status.DeploymentEvents.CLOUD_REPO;
import static io.trunkline.status.DeploymentEvents.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.ScmProvider;
import io.trunkline.infra.test.InjectWireMock;
import io.trunkline.status.DeploymentEvents;
import io.trunkline.status.ShortTimeoutsProfile;
import io.trunkline.status.StatusReporterTestResources;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployment read model the ops API reads, built from the events on the real broker. */
@QuarkusTest
@TestProfile(ShortTimeoutsProfile.class)
class DeploymentReadModelTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static KafkaCompanion kafka;

    @InjectWireMock(StatusReporterTestResources.BITBUCKET_CLOUD)
    WireMockServer cloud;

    @BeforeAll
    static void connect() {
        kafka = DeploymentEvents.kafka();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void deploymentEndsInItsLastStateWithATimelineOfItsEvents() {
        DeploymentEvents deployment = new DeploymentEvents(CLOUD_REPO, "staging");
        acceptStatuses(deployment.commit());
        DeploymentStateChanged queued = deployment.next(DeploymentState.QUEUED, "Push to main");
        DeploymentStateChanged running = deployment.next(DeploymentState.IN_PROGRESS);
        DeploymentStateChanged succeeded = deployment.next(DeploymentState.SUCCEEDED, "Target answered 200");

        produce(kafka, queued, running, succeeded);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(row(deployment.deploymentId()))
                .isNotNull()
                .extracting(d -> d.state).isEqualTo(DeploymentState.SUCCEEDED));
        Deployment row = row(deployment.deploymentId());
        assertThat(row.provider).isEqualTo(ScmProvider.BITBUCKET_CLOUD);
        assertThat(row.workspace).isEqualTo("acme");
        assertThat(row.slug).isEqualTo("shop");
        assertThat(row.environment).isEqualTo("staging");
        assertThat(row.commit).isEqualTo(deployment.commit());
        assertThat(row.operation).isEqualTo(DeploymentOperation.DEPLOY);
        assertThat(row.reason).isEqualTo("Target answered 200");
        assertThat(row.createdAt).isEqualTo(queued.occurredAt());
        assertThat(row.updatedAt).isEqualTo(succeeded.occurredAt());
        assertThat(timeline(deployment.deploymentId()))
                .extracting(DeploymentTimelineEntry::eventId, DeploymentTimelineEntry::state, DeploymentTimelineEntry::reason,
                        DeploymentTimelineEntry::occurredAt)
                .containsExactly(
                        tuple(queued.eventId(), DeploymentState.QUEUED, "Push to main", queued.occurredAt()),
                        tuple(running.eventId(), DeploymentState.IN_PROGRESS, null, running.occurredAt()),
                        tuple(succeeded.eventId(), DeploymentState.SUCCEEDED, "Target answered 200", succeeded.occurredAt()));
    }

    @Test
    void lateEventAfterTheFinalStateOnlyJoinsTheTimeline() {
        DeploymentEvents deployment = new DeploymentEvents(CLOUD_REPO, "staging");
        acceptStatuses(deployment.commit());
        DeploymentStateChanged failed = deployment.next(DeploymentState.FAILED, "Target unreachable");
        DeploymentStateChanged late = deployment.next(DeploymentState.IN_PROGRESS);

        produce(kafka, failed, late);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(timeline(deployment.deploymentId())).hasSize(2));
        assertThat(row(deployment.deploymentId()).state).isEqualTo(DeploymentState.FAILED);
        // the late event committed without posting: Bitbucket keeps showing the failure
        assertThat(cloud.findAll(postRequestedFor(urlEqualTo(cloudPath(deployment.commit()))))).hasSize(1);
    }

    private void acceptStatuses(String commit) {
        cloud.stubFor(post(urlEqualTo(cloudPath(commit))).atPriority(1).willReturn(aResponse().withStatus(201)));
    }

    private static String cloudPath(String commit) {
        return "/2.0/repositories/acme/shop/commit/" + commit + "/statuses/build";
    }

    private static Deployment row(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> readModel().find(id).orElse(null));
    }

    private static List<DeploymentTimelineEntry> timeline(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> readModel().timeline(id));
    }

    private static DeploymentReadModel readModel() {
        return Arc.container().instance(DeploymentReadModel.class).get();
    }
}
