package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.events.PullRequestAction;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.infra.test.Fixtures;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BitbucketCloudNormaliserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final BitbucketCloudNormaliser NORMALISER = new BitbucketCloudNormaliser();
    private static final RepositoryRef FOO = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "brydzewski", "foo");

    private static ObjectNode fixture(String name) throws IOException {
        return (ObjectNode) MAPPER.readTree(Fixtures.bytes("bitbucket-cloud/" + name));
    }

    private static NormalisedDelivery normalise(String eventKey, JsonNode body, String deliveryId) {
        return NORMALISER.normalise(new WebhookDelivery(ScmProvider.BITBUCKET_CLOUD, eventKey, deliveryId, body), NOW);
    }

    private static List<RefsPushed> pushes(JsonNode body, String deliveryId) {
        return normalise("repo:push", body, deliveryId).events().stream().map(RefsPushed.class::cast).toList();
    }

    private static RefsPushed push(String fixture, String deliveryId) throws IOException {
        return pushes(fixture("go-scm/" + fixture), deliveryId).get(0);
    }

    private static PullRequestChanged pullRequest(String eventKey, JsonNode body) {
        List<TrunklineEvent> events = normalise(eventKey, body, "d-pr").events();
        assertThat(events).hasSize(1);
        return (PullRequestChanged) events.get(0);
    }

    private static ObjectNode change(ObjectNode push, int index) {
        return (ObjectNode) push.path("push").path("changes").get(index);
    }

    @Test
    void branchPush() throws IOException {
        RefsPushed event = push("push.json", "d-1");

        assertThat(event.repository()).isEqualTo(FOO);
        assertThat(event.changes()).containsExactly(new RefChange(RefType.BRANCH, "master",
                "40e7580cf11311d84a6e5e97e2cbba6df1675750", "141977fedf5cf35aa290ac87d4b5177ac4cd9de1", false));
        assertThat(event.actor()).isEqualTo("Brad Rydzewski");
        assertThat(event.deliveryId()).isEqualTo("d-1");
        assertThat(event.occurredAt()).isEqualTo(NOW);
        assertThat(event.partitionKey()).isEqualTo("bitbucket-cloud:brydzewski/foo");
    }

    @Test
    void eachRefsEventIdComesFromTheDeliveryAndTheRef() throws IOException {
        DeliveryId delivery = new DeliveryId(ScmProvider.BITBUCKET_CLOUD, "d-1");

        assertThat(push("push.json", "d-1").eventId()).isEqualTo(push("push.json", "d-1").eventId())
                .isEqualTo(EventIds.of(delivery, RefType.BRANCH, "master"));
        assertThat(push("push_branch_create.json", "d-1").eventId()).isEqualTo(EventIds.of(delivery, RefType.BRANCH, "develop"));
        assertThat(push("push.json", "d-1").eventId()).isNotEqualTo(push("push.json", "d-2").eventId());
    }

    @Test
    void aDeliveryWithoutIdGetsRandomEventIds() throws IOException {
        NormalisedDelivery first = normalise("repo:push", fixture("go-scm/push.json"), null);
        NormalisedDelivery second = normalise("repo:push", fixture("go-scm/push.json"), " ");

        assertThat(first.deliveryId()).isEmpty();
        assertThat(first.events().get(0).eventId()).isNotEqualTo(second.events().get(0).eventId());
    }

    @Test
    void branchAndTagCreatedAndDeleted() throws IOException {
        RefChange branchCreated = push("push_branch_create.json", "d").changes().get(0);
        RefChange branchDeleted = push("push_branch_delete.json", "d").changes().get(0);
        RefChange tagCreated = push("push_tag_create.json", "d").changes().get(0);
        RefChange tagDeleted = push("push_tag_delete.json", "d").changes().get(0);

        assertThat(branchCreated).isEqualTo(new RefChange(RefType.BRANCH, "develop", null,
                "141977fedf5cf35aa290ac87d4b5177ac4cd9de1", false));
        assertThat(branchDeleted).isEqualTo(new RefChange(RefType.BRANCH, "develop",
                "141977fedf5cf35aa290ac87d4b5177ac4cd9de1", null, false));
        assertThat(tagCreated).isEqualTo(new RefChange(RefType.TAG, "feature/x", null,
                "141977fedf5cf35aa290ac87d4b5177ac4cd9de1", false));
        assertThat(tagDeleted.deleted()).isTrue();
        assertThat(tagDeleted.refType()).isEqualTo(RefType.TAG);
    }

    @Test
    void severalChangesInOnePushAreOneEventEachInTheirOrder() throws IOException {
        ObjectNode body = fixture("go-scm/push.json");
        ArrayNode changes = (ArrayNode) body.path("push").path("changes");
        changes.add(fixture("go-scm/push_tag_create.json").path("push").path("changes").get(0));
        changes.add(fixture("go-scm/push_branch_delete.json").path("push").path("changes").get(0));

        List<RefsPushed> events = pushes(body, "d-3");

        assertThat(events).extracting(event -> event.changes().get(0).refName()).containsExactly("master", "feature/x", "develop");
        assertThat(events).allSatisfy(event -> assertThat(event.changes()).hasSize(1));
        assertThat(events).extracting(RefsPushed::eventId).doesNotHaveDuplicates();
        assertThat(events).extracting(RefsPushed::deliveryId).containsOnly("d-3");
    }

    @Test
    void aTruncatedChangeStillReportsItsRef() throws IOException {
        ObjectNode body = fixture("go-playground/repo-push.json");
        change(body, 0).put("truncated", true);

        RefsPushed event = pushes(body, "d").get(0);

        assertThat(event.repository()).isEqualTo(new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "team_name", "repo_name"));
        assertThat(event.changes()).singleElement().satisfies(change -> {
            assertThat(change.refName()).isEqualTo("name-of-branch");
            assertThat(change.newCommit()).startsWith("709d658d");
        });
    }

    @Test
    void forcedPushesSaySo() throws IOException {
        ObjectNode body = fixture("go-scm/push.json");
        change(body, 0).put("forced", true);

        assertThat(pushes(body, "d").get(0).changes().get(0).forced()).isTrue();
    }

    @Test
    void refsThatAreNeitherBranchNorTagNeedNoAction() throws IOException {
        ObjectNode body = fixture("go-scm/push.json");
        ((ObjectNode) change(body, 0).path("old")).put("type", "bookmark");
        ((ObjectNode) change(body, 0).path("new")).put("type", "bookmark");

        NormalisedDelivery result = normalise("repo:push", body, "d");

        assertThat(result.needsAction()).isFalse();
        assertThat(result.ignoredBecause()).isEqualTo("the push changed no branch or tag");
    }

    @ParameterizedTest
    @CsvSource({
            "pullrequest:created, pr_created.json, OPENED, 1, develop, 507a576e59b3",
            "pullrequest:updated, pr_updated.json, UPDATED, 1, develop, 0704fc5beccc",
            "pullrequest:fulfilled, pr_fulfilled.json, MERGED, 1, develop, 0704fc5beccc",
            "pullrequest:rejected, pr_declined.json, DECLINED, 2, develop, 6ca9fe26898a"})
    void pullRequestFromTheOrigin(String eventKey, String fixture, PullRequestAction action, long id, String source,
            String commit) throws IOException {
        PullRequestChanged event = pullRequest(eventKey, fixture("go-scm/" + fixture));

        assertThat(event.action()).isEqualTo(action);
        assertThat(event.repository()).isEqualTo(FOO);
        assertThat(event.pullRequestId()).isEqualTo(id);
        assertThat(event.sourceBranch()).isEqualTo(source);
        assertThat(event.targetBranch()).isEqualTo("master");
        assertThat(event.sourceCommit()).isEqualTo(commit);
        assertThat(event.sourceCommitAbbreviated()).isTrue();
        assertThat(event.fromFork()).isFalse();
        assertThat(event.sourceRepository()).isEqualTo(FOO);
        assertThat(event.author()).isEqualTo("Brad Rydzewski");
        assertThat(event.actor()).isEqualTo("Brad Rydzewski");
        assertThat(event.title()).isNotBlank();
        assertThat(event.eventId()).isEqualTo(EventIds.of(new DeliveryId(ScmProvider.BITBUCKET_CLOUD, "d-pr")));
        assertThat(event.partitionKey()).isEqualTo("bitbucket-cloud:brydzewski/foo");
    }

    @ParameterizedTest
    @CsvSource({
            "pullrequest:created, pull-request-created.json, OPENED",
            "pullrequest:updated, pull-request-updated.json, UPDATED",
            "pullrequest:fulfilled, pull-request-merged.json, MERGED",
            "pullrequest:rejected, pull-request-declined.json, DECLINED"})
    void pullRequestsOfAtlassiansDocumentedExamples(String eventKey, String fixture, PullRequestAction action)
            throws IOException {
        PullRequestChanged event = pullRequest(eventKey, fixture("go-playground/" + fixture));

        assertThat(event.action()).isEqualTo(action);
        assertThat(event.repository().fullName()).isEqualTo("team_name/repo_name");
        assertThat(event.sourceBranch()).isEqualTo("branch2");
        assertThat(event.sourceCommit()).isEqualTo("d3022fc0ca3d");
        assertThat(event.sourceCommitAbbreviated()).isTrue();
        assertThat(event.title()).isEqualTo("Title of pull request");
        assertThat(event.fromFork()).isFalse();
    }

    @Test
    void aForkWhoseSlugEqualsTheDestinationsIsAFork() throws IOException {
        ObjectNode body = fixture("go-scm/pr_created.json");
        ObjectNode sourceRepository = (ObjectNode) body.path("pullrequest").path("source").path("repository");
        sourceRepository.put("full_name", "alice/foo");
        sourceRepository.put("name", "foo");
        sourceRepository.put("uuid", "{0c1f5a9e-54a3-4d55-b4e4-7f3a3c1c2b10}");

        PullRequestChanged event = pullRequest("pullrequest:created", body);

        assertThat(event.fromFork()).isTrue();
        assertThat(event.sourceRepository()).isEqualTo(new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "alice", "foo"));
        assertThat(event.repository()).isEqualTo(FOO);
    }

    @Test
    void aForkIsToldByNameWhereUuidsAreMissing() throws IOException {
        ObjectNode body = fixture("go-scm/pr_updated.json");
        ObjectNode source = (ObjectNode) body.path("pullrequest").path("source").path("repository");
        source.put("full_name", "alice/foo");
        source.remove("uuid");

        assertThat(pullRequest("pullrequest:updated", body).fromFork()).isTrue();
    }

    @Test
    void aPullRequestFromADeletedForkCountsAsAFork() throws IOException {
        ObjectNode body = fixture("go-scm/pr_declined.json");
        ((ObjectNode) body.path("pullrequest").path("source")).putNull("repository");

        PullRequestChanged event = pullRequest("pullrequest:rejected", body);

        assertThat(event.fromFork()).isTrue();
        assertThat(event.sourceRepository()).isNull();
    }

    @Test
    void aPullRequestWhoseDestinationIsAnotherRepositoryIsMalformed() throws IOException {
        ObjectNode body = fixture("go-scm/pr_created.json");
        ((ObjectNode) body.path("pullrequest").path("destination").path("repository")).put("full_name", "acme/other");

        assertThatThrownBy(() -> normalise("pullrequest:created", body, "d"))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage("pullrequest.destination.repository is not the delivery's repository");
    }

    @Test
    void anOpenedPullRequestWithoutHeadCommitIsMalformedAMergedOneIsNot() throws IOException {
        ObjectNode opened = fixture("go-scm/pr_created.json");
        ((ObjectNode) opened.path("pullrequest").path("source")).putNull("commit");
        ObjectNode merged = fixture("go-scm/pr_fulfilled.json");
        ((ObjectNode) merged.path("pullrequest").path("source")).putNull("commit");

        assertThatThrownBy(() -> normalise("pullrequest:created", opened, "d"))
                .isInstanceOf(InvalidPayloadException.class).hasMessage("pullrequest.source.commit.hash is missing");
        assertThat(pullRequest("pullrequest:fulfilled", merged).sourceCommit()).isNull();
    }

    @Test
    void eventKeysWithoutActionAreIgnoredWithAReason() throws IOException {
        NormalisedDelivery result = normalise("repo:commit_status_created", fixture("go-scm/pipeline_hook_created.json"), "d");

        assertThat(result.needsAction()).isFalse();
        assertThat(result.ignoredBecause()).isEqualTo("event key 'repo:commit_status_created' needs no action");
        assertThat(normalise("<script>", fixture("go-scm/push.json"), "d").ignoredBecause())
                .isEqualTo("this event key needs no action");
    }

    @Test
    void malformedPushIsRejectedNamingTheFieldNeverTheValue() throws IOException {
        ObjectNode noRepository = fixture("go-scm/push.json");
        noRepository.remove("repository");
        ObjectNode shortHash = fixture("go-scm/push.json");
        ((ObjectNode) change(shortHash, 0).path("new").path("target")).put("hash", "141977f");
        ObjectNode changesNotArray = fixture("go-scm/push.json");
        ((ObjectNode) changesNotArray.path("push")).put("changes", "secret-looking-text");
        ObjectNode nameNotString = fixture("go-scm/push.json");
        ((ObjectNode) change(nameNotString, 0).path("new")).put("name", 42);
        ObjectNode noSides = fixture("go-scm/push.json");
        change(noSides, 0).putNull("old").putNull("new");

        assertThatThrownBy(() -> pushes(noRepository, "d")).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("repository is missing");
        assertThatThrownBy(() -> pushes(shortHash, "d")).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("push.changes[0].new.target.hash must be a 40-character commit hash");
        assertThatThrownBy(() -> pushes(changesNotArray, "d")).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("push.changes must be an array");
        assertThatThrownBy(() -> pushes(nameNotString, "d")).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("push.changes[0].new.name must be a string");
        assertThatThrownBy(() -> pushes(noSides, "d")).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("push.changes[0] has neither 'old' nor 'new'");
    }

    @Test
    void wronglyTypedPullRequestFieldsAreMalformed() throws IOException {
        ObjectNode idAsText = fixture("go-scm/pr_created.json");
        ((ObjectNode) idAsText.path("pullrequest")).put("id", "1");
        ObjectNode sourceAsArray = fixture("go-scm/pr_created.json");
        ((ObjectNode) sourceAsArray.path("pullrequest")).putArray("source");
        ObjectNode fullNameWithoutSlash = fixture("go-scm/pr_created.json");
        ((ObjectNode) fullNameWithoutSlash.path("repository")).put("full_name", "foo");

        assertThatThrownBy(() -> normalise("pullrequest:created", idAsText, "d"))
                .hasMessage("pullrequest.id must be a whole number");
        assertThatThrownBy(() -> normalise("pullrequest:created", sourceAsArray, "d"))
                .hasMessage("pullrequest.source must be an object");
        assertThatThrownBy(() -> normalise("pullrequest:created", fullNameWithoutSlash, "d"))
                .hasMessage("repository.full_name must be 'workspace/slug'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"feature/deep/name", "fix-ümlaut-分支", "release%2F1", "v1.0.0"})
    void refNamesGitAllowsArePassedOnVerbatim(String name) throws IOException {
        ObjectNode body = fixture("go-scm/push.json");
        ((ObjectNode) change(body, 0).path("old")).put("name", name);
        ((ObjectNode) change(body, 0).path("new")).put("name", name);

        assertThat(pushes(body, "d").get(0).changes().get(0).refName()).isEqualTo(name);
    }

    @Test
    void aRefNameOf255CharactersIsPassedOn() throws IOException {
        String name = "a".repeat(255);
        ObjectNode body = fixture("go-scm/push.json");
        ((ObjectNode) change(body, 0).path("new")).put("name", name);

        assertThat(pushes(body, "d").get(0).changes().get(0).refName()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"with space", "a..b", "../../etc/passwd", "trailing/", "/leading", "x.lock", "tab\tname",
            "colon:name", "a//b", "new\nline"})
    void refNamesGitRefusesAreMalformedAndNotEchoed(String name) throws IOException {
        ObjectNode body = fixture("go-scm/push.json");
        ((ObjectNode) change(body, 0).path("new")).put("name", name);

        assertThatThrownBy(() -> pushes(body, "d")).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("push.changes[0].new.name is not a valid git ref name");
    }

    @Test
    void theRepositoryNameIsReadFromTheUnverifiedBodyAlone() {
        UnverifiedBody body = new UnverifiedBody(Fixtures.bytes("bitbucket-cloud/go-scm/pr_created.json"),
                MAPPER.getFactory());

        assertThat(NORMALISER.repositoryName("pullrequest:created", body)).contains("brydzewski/foo");
        assertThat(NORMALISER.repositoryName("repo:push", new UnverifiedBody("{\"repository\":{\"full_name\":1}}".getBytes(),
                MAPPER.getFactory()))).isEmpty();
    }
}
