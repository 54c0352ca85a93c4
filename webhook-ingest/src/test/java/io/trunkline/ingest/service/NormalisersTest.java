package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.events.ScmProvider;
import org.junit.jupiter.api.Test;

class NormalisersTest {

    private static final Normalisers NORMALISERS = new Normalisers(new BitbucketCloudNormaliser(),
            new BitbucketDataCenterNormaliser());

    private static ScmProvider provider(String eventKey, String requestUuid, String hookUuid, String requestId) {
        return NORMALISERS.of(new DeliveryHeaders("application/json", eventKey, requestUuid, hookUuid, requestId, null))
                .provider();
    }

    @Test
    void theEventKeysWeActOnTellTheProvider() {
        assertThat(provider("repo:push", null, null, null)).isEqualTo(ScmProvider.BITBUCKET_CLOUD);
        assertThat(provider("pullrequest:fulfilled", null, null, "r")).isEqualTo(ScmProvider.BITBUCKET_CLOUD);
        assertThat(provider("repo:refs_changed", "u", null, null)).isEqualTo(ScmProvider.BITBUCKET_DATA_CENTER);
        assertThat(provider("pr:deleted", null, null, null)).isEqualTo(ScmProvider.BITBUCKET_DATA_CENTER);
        assertThat(provider("diagnostics:ping", null, null, null)).isEqualTo(ScmProvider.BITBUCKET_DATA_CENTER);
    }

    @Test
    void otherwiseTheHeadersOrTheKeysShape() {
        assertThat(provider("repo:fork", "u", null, null)).isEqualTo(ScmProvider.BITBUCKET_CLOUD);
        assertThat(provider("issue:created", null, "h", null)).isEqualTo(ScmProvider.BITBUCKET_CLOUD);
        assertThat(provider("repo:modified", null, null, "r")).isEqualTo(ScmProvider.BITBUCKET_DATA_CENTER);
        assertThat(provider("pr:comment:added", null, null, null)).isEqualTo(ScmProvider.BITBUCKET_DATA_CENTER);
        assertThat(provider("repo:comment:added", null, null, null)).isEqualTo(ScmProvider.BITBUCKET_DATA_CENTER);
        assertThat(provider("something", null, null, null)).isEqualTo(ScmProvider.BITBUCKET_CLOUD);
        assertThat(provider(null, null, null, null)).isEqualTo(ScmProvider.BITBUCKET_CLOUD);
    }

    @Test
    void theDeliveryIdIsTheProvidersHeaderElseTheOther() {
        DeliveryHeaders both = new DeliveryHeaders(null, null, "uuid", null, "id", null);
        DeliveryHeaders onlyId = new DeliveryHeaders(null, null, " ", null, "id", null);

        assertThat(both.deliveryId(ScmProvider.BITBUCKET_CLOUD)).isEqualTo("uuid");
        assertThat(both.deliveryId(ScmProvider.BITBUCKET_DATA_CENTER)).isEqualTo("id");
        assertThat(onlyId.deliveryId(ScmProvider.BITBUCKET_CLOUD)).isEqualTo("id");
    }
}
