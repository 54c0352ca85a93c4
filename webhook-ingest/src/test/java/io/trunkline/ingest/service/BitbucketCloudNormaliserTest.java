package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.infra.test.Fixtures;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BitbucketCloudNormaliserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private static JsonNode fixture(String name) throws IOException {
        return MAPPER.readTree(Fixtures.bytes("bitbucket-cloud/go-scm/" + name));
    }

    private static RefsPushed push(String fixture, String deliveryId) throws IOException {
        return (RefsPushed) BitbucketCloudNormaliser.normalise(
                new WebhookDelivery("repo:push", deliveryId, fixture(fixture)), NOW).event();
    }

    @Test
    void branchPush() throws IOException {
        RefsPushed event = push("push.json", "d-1");

        assertThat(event.repository()).isEqualTo(new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "brydzewski", "foo"));
        assertThat(event.changes()).containsExactly(new RefChange(RefType.BRANCH, "master",
                "40e7580cf11311d84a6e5e97e2cbba6df1675750", "141977fedf5cf35aa290ac87d4b5177ac4cd9de1", false));
        assertThat(event.actor()).isEqualTo("Brad Rydzewski");
        assertThat(event.deliveryId()).isEqualTo("d-1");
        assertThat(event.occurredAt()).isEqualTo(NOW);
    }

    @Test
    void theEventIdIsTheDeliverysWhateverTheChange() throws IOException {
        assertThat(push("push.json", "d-1").eventId()).isEqualTo(push("push_branch_create.json", "d-1").eventId())
                .isEqualTo(EventIds.of(new DeliveryId(ScmProvider.BITBUCKET_CLOUD, "d-1")));
        assertThat(push("push.json", "d-1").eventId()).isNotEqualTo(push("push.json", "d-2").eventId());
    }

    @Test
    void aDeliveryWithoutIdGetsARandomEventId() throws IOException {
        NormalisedDelivery first = BitbucketCloudNormaliser.normalise(
                new WebhookDelivery("repo:push", null, fixture("push.json")), NOW);
        NormalisedDelivery second = BitbucketCloudNormaliser.normalise(
                new WebhookDelivery("repo:push", " ", fixture("push.json")), NOW);

        assertThat(first.deliveryId()).isEmpty();
        assertThat(first.event().eventId()).isNotEqualTo(second.event().eventId());
    }

    @Test
    void branchCreationAndDeletion() throws IOException {
        RefChange created = push("push_branch_create.json", "d").changes().get(0);
        RefChange deleted = push("push_branch_delete.json", "d").changes().get(0);

        assertThat(created.created()).isTrue();
        assertThat(created.oldCommit()).isNull();
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.newCommit()).isNull();
    }

    @Test
    void tagPush() throws IOException {
        RefChange tag = push("push_tag_create.json", "d").changes().get(0);

        assertThat(tag.refType()).isEqualTo(RefType.TAG);
        assertThat(tag.created()).isTrue();
    }

    @Test
    void eventKeysWithoutActionAreIgnoredWithAReason() throws IOException {
        NormalisedDelivery result = BitbucketCloudNormaliser.normalise(
                new WebhookDelivery("repo:commit_status_created", "d", fixture("pipeline_hook_created.json")), NOW);

        assertThat(result.eventToPublish()).isEmpty();
        assertThat(result.ignoredBecause()).contains("repo:commit_status_created");
    }

    @Test
    void malformedPushIsRejectedNamingTheField() throws IOException {
        ObjectNode noRepository = (ObjectNode) fixture("push.json");
        noRepository.remove("repository");
        ObjectNode shortHash = (ObjectNode) fixture("push.json");
        ((ObjectNode) shortHash.path("push").path("changes").get(0).path("new").path("target")).put("hash", "141977f");

        assertThatThrownBy(() -> BitbucketCloudNormaliser.normalise(new WebhookDelivery("repo:push", "d", noRepository), NOW))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("repository.full_name");
        assertThatThrownBy(() -> BitbucketCloudNormaliser.normalise(new WebhookDelivery("repo:push", "d", shortHash), NOW))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("push.changes[0].new.target.hash");
    }
}
