package io.trunkline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pins the JSON form and the routing of a cancel request: consumers already deployed read it. */
class DeploymentCancelRequestedTest {

    private static final UUID EVENT_ID = UUID.fromString("6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11");
    private static final UUID DEPLOYMENT_ID = UUID.fromString("0b8e7c43-1a2b-4c3d-8e9f-112233445566");
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");
    private static final RepositoryRef REPO = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "shop");

    @Test
    void json() {
        DeploymentCancelRequested event = new DeploymentCancelRequested(EVENT_ID, AT, DEPLOYMENT_ID, REPO, "production",
                "local", "cancelled by local: wrong build");

        String json = EventCodec.encode(event);

        assertThat(json).isEqualTo("{\"eventId\":\"6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11\","
                + "\"occurredAt\":\"2026-11-23T10:15:30Z\","
                + "\"deploymentId\":\"0b8e7c43-1a2b-4c3d-8e9f-112233445566\","
                + "\"repository\":{\"provider\":\"bitbucket-cloud\",\"workspace\":\"acme\",\"slug\":\"shop\"},"
                + "\"environment\":\"production\",\"requestedBy\":\"local\","
                + "\"reason\":\"cancelled by local: wrong build\"}");
        assertThat(EventCodec.decode(DeploymentCancelRequested.TYPE, json)).contains(event);
    }

    @Test
    void travelsWithTheRequestItCancelsAndIsNoDeploymentState() {
        DeploymentCancelRequested event = new DeploymentCancelRequested(EVENT_ID, AT, DEPLOYMENT_ID, REPO, "production",
                "local", null);

        assertThat(event.partitionKey()).isEqualTo(DeploymentKeys.key(REPO, "production"));
        assertThat(event.subject()).isEqualTo(DEPLOYMENT_ID.toString());
        assertThat(event.eventType()).doesNotStartWith(DeploymentStateChanged.TYPE_PREFIX);
    }
}
