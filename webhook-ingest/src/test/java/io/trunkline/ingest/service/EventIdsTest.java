package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.events.RefType;
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
    void eachRefOfAPushHasAnEventIdOfItsOwnTheSameOnEveryRetry() {
        DeliveryId delivery = new DeliveryId(ScmProvider.BITBUCKET_DATA_CENTER, "42");
        UUID main = EventIds.of(delivery, RefType.BRANCH, "main");

        assertThat(EventIds.of(Optional.of(delivery), RefType.BRANCH, "main")).isEqualTo(main);
        assertThat(EventIds.of(delivery, RefType.TAG, "main")).isNotEqualTo(main);
        assertThat(EventIds.of(delivery, RefType.BRANCH, "develop")).isNotEqualTo(main);
        assertThat(main).isNotEqualTo(EventIds.of(delivery));
        // pinned, like the delivery's own
        assertThat(main).isEqualTo(UUID.nameUUIDFromBytes("trunkline-delivery\u0000bitbucket-data-center\u000042\u0000BRANCH\u0000main"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(EventIds.of(Optional.empty(), RefType.BRANCH, "main"))
                .isNotEqualTo(EventIds.of(Optional.empty(), RefType.BRANCH, "main"));
    }

    @Test
    void aDeliveryWithoutIdGetsARandomOne() {
        assertThat(DeliveryId.of(ScmProvider.BITBUCKET_CLOUD, null)).isEmpty();
        assertThat(DeliveryId.of(ScmProvider.BITBUCKET_CLOUD, "  ")).isEmpty();
        assertThat(EventIds.of(Optional.empty())).isNotEqualTo(EventIds.of(Optional.empty()));
    }
}
