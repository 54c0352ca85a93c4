package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.events.ScmProvider;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    private static final String CLOUD_DELIVERY = "3f6a2b7e-9c1d-4e58-8a0b-2d7c5e9f1a34";

    @Test
    void theSameDeliveryAlwaysGetsTheSameEventId() {
        UUID id = EventIds.of(new DeliveryId(ScmProvider.BITBUCKET_CLOUD, CLOUD_DELIVERY));

        assertThat(EventIds.of(new DeliveryId(ScmProvider.BITBUCKET_CLOUD, CLOUD_DELIVERY))).isEqualTo(id);
        assertThat(EventIds.of(DeliveryId.of(ScmProvider.BITBUCKET_CLOUD, " " + CLOUD_DELIVERY + " "))).isEqualTo(id);
        // pinned: a change of the derivation would make every delivery retried across an upgrade a new event
        assertThat(id).isEqualTo(UUID.nameUUIDFromBytes(
                ("trunkline-delivery\u0000bitbucket-cloud\u0000" + CLOUD_DELIVERY).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void deliveriesDifferByIdAndByProvider() {
        UUID cloud = EventIds.of(new DeliveryId(ScmProvider.BITBUCKET_CLOUD, "42"));

        assertThat(EventIds.of(new DeliveryId(ScmProvider.BITBUCKET_CLOUD, "43"))).isNotEqualTo(cloud);
        assertThat(EventIds.of(new DeliveryId(ScmProvider.BITBUCKET_DATA_CENTER, "42"))).isNotEqualTo(cloud);
    }

    @Test
    void aDeliveryWithoutIdGetsARandomOne() {
        assertThat(DeliveryId.of(ScmProvider.BITBUCKET_CLOUD, null)).isEmpty();
        assertThat(DeliveryId.of(ScmProvider.BITBUCKET_CLOUD, "  ")).isEmpty();
        assertThat(EventIds.of(Optional.empty())).isNotEqualTo(EventIds.of(Optional.empty()));
    }
}
