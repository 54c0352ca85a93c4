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

class BitbucketDataCenterNormaliserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final BitbucketDataCenterNormaliser NORMALISER = new BitbucketDataCenterNormaliser();
    private static final RepositoryRef MY_REPO = new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "PRJ", "my-repo");

    private static ObjectNode fixture(String name) throws IOException {
        return (ObjectNode) MAPPER.readTree(Fixtures.bytes("bitbucket-dc/" + name));
    }

    private static NormalisedDelivery normalise(String eventKey, JsonNode body) {
        return NORMALISER.normalise(new WebhookDelivery(ScmProvider.BITBUCKET_DATA_CENTER, eventKey, "r-1", body), NOW);
    }

    private static List<RefsPushed> pushes(JsonNode body) {
        return normalise("repo:refs_changed", body).events().stream().map(RefsPushed.class::cast).toList();
    }

    private static RefChange onlyChange(String fixture) throws IOException {
        List<RefsPushed> events = pushes(fixture(fixture));
        assertThat(events).hasSize(1);
        return events.get(0).changes().get(0);
    }

    private static PullRequestChanged pullRequest(String eventKey, JsonNode body) {
        List<TrunklineEvent> events = normalise(eventKey, body).events();
        assertThat(events).hasSize(1);
        return (PullRequestChanged) events.get(0);
    }

    @Test
    void branchUpdate() throws IOException {
        RefsPushed event = pushes(fixture("go-scm/push.json")).get(0);

        assertThat(event.repository()).isEqualTo(MY_REPO);
        assertThat(event.partitionKey()).isEqualTo("bitbucket-data-center:PRJ/my-repo");
        assertThat(event.changes()).containsExactly(new RefChange(RefType.BRANCH, "master",
                "5c64a07cd6c0f21b753bf261ef059c7e7633c50a", "823b2230a56056231c9425d63758fa87078a66b4", false));
        assertThat(event.actor()).isEqualTo("Jane Citizen");
        assertThat(event.deliveryId()).isEqualTo("r-1");
        assertThat(event.eventId()).isEqualTo(EventIds.of(new DeliveryId(ScmProvider.BITBUCKET_DATA_CENTER, "r-1"),
                RefType.BRANCH, "master"));
    }

    @Test
    void fortyZerosMeanCreatedOrDeleted() throws IOException {
        assertThat(onlyChange("go-scm/push_branch_create.json")).isEqualTo(new RefChange(RefType.BRANCH, "develop",
                null, "208b0a5c05eddadad01f2aed8802fe0c3b3eaf5e", false));
        assertThat(onlyChange("go-scm/push_branch_delete.json")).isEqualTo(new RefChange(RefType.BRANCH, "develop",
                "208b0a5c05eddadad01f2aed8802fe0c3b3eaf5e", null, false));
        assertThat(onlyChange("go-scm/push_tag_create.json")).isEqualTo(new RefChange(RefType.TAG, "v1.1.0",
                null, "823b2230a56056231c9425d63758fa87078a66b4", false));
        assertThat(onlyChange("go-scm/push_tag_delete.json")).isEqualTo(new RefChange(RefType.TAG, "v1.1.0",
                "823b2230a56056231c9425d63758fa87078a66b4", null, false));
        assertThat(onlyChange("go-scm/fnb_push_branch_create.json").created()).isTrue();
        assertThat(onlyChange("go-playground/repo-refs-changed.json").deleted()).isTrue();
    }

    @Test
    void otherCapturesAndPersonalProjects() throws IOException {
        RefsPushed v5 = pushes(fixture("go-scm/push_v5.json")).get(0);
        RefsPushed personal = pushes(fixture("go-playground/repo-refs-changed.json")).get(0);
        RefsPushed fnb = pushes(fixture("go-scm/fnb_push_update.json")).get(0);

        assertThat(v5.repository().fullName()).isEqualTo("ISCLOUD/transamerica.cloud.individual.tftest");
        assertThat(v5.changes().get(0).refName()).isEqualTo("trangineni/devtfvars-1685475548410");
        assertThat(personal.repository()).isEqualTo(new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "~gopher", "webhook-test"));
        assertThat(personal.changes().get(0).refName()).isEqualTo("feature/wip");
        assertThat(fnb.repository().fullName()).isEqualTo("PENGINE/product-engine");
    }

    @Test
    void severalChangesAreOneEventEachAndRefsOtherThanBranchesAndTagsNeedNoAction() throws IOException {
        ObjectNode body = fixture("go-scm/push.json");
        ArrayNode changes = (ArrayNode) body.path("changes");
        changes.add(fixture("go-scm/push_tag_create.json").path("changes").get(0));
        ObjectNode note = fixture("go-scm/push.json").path("changes").get(0).deepCopy();
        ((ObjectNode) note.path("ref")).put("id", "refs/notes/commits");
        changes.add(note);

        List<RefsPushed> events = pushes(body);

        assertThat(events).extracting(event -> event.changes().get(0).refName()).containsExactly("master", "v1.1.0");
        ((ObjectNode) body).set("changes", MAPPER.createArrayNode().add(note));
        assertThat(normalise("repo:refs_changed", body).ignoredBecause()).isEqualTo("the push changed no branch or tag");
    }

    @Test
    void aChangeWithoutEitherCommitIsMalformed() throws IOException {
        ObjectNode body = fixture("go-scm/push.json");
        ((ObjectNode) body.path("changes").get(0)).put("fromHash", "0".repeat(40)).put("toHash", "0".repeat(40));
        ObjectNode shortHash = fixture("go-scm/push.json");
        ((ObjectNode) shortHash.path("changes").get(0)).put("toHash", "823b2230");

        assertThatThrownBy(() -> pushes(body)).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("changes[0] has neither a fromHash nor a toHash");
        assertThatThrownBy(() -> pushes(shortHash)).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("changes[0].toHash must be a 40-character commit hash");
    }

    @ParameterizedTest
    @CsvSource({
            "pr:opened, go-scm/pr_open.json, OPENED, 2, develop, 208b0a5c05eddadad01f2aed8802fe0c3b3eaf5e",
            "pr:opened, go-scm/pr_open_iso_dates.json, OPENED, 2, develop, 208b0a5c05eddadad01f2aed8802fe0c3b3eaf5e",
            "pr:from_ref_updated, go-scm/pr_from_ref_updated.json, UPDATED, 2, feature-2, c00d0f269a9844dd168f72f6a9d78a9cff49a318",
            "pr:merged, go-scm/pr_merged.json, MERGED, 3, develop, b9eaed50a03c073b20dfa82e5e753d295e7f0e56",
            "pr:merged, go-scm/pr_merged_iso_dates.json, MERGED, 3, develop, b9eaed50a03c073b20dfa82e5e753d295e7f0e56",
            "pr:declined, go-scm/pr_declined.json, DECLINED, 2, develop, b9eaed50a03c073b20dfa82e5e753d295e7f0e56",
            "pr:declined, go-scm/pr_declined_iso_dates.json, DECLINED, 2, develop, b9eaed50a03c073b20dfa82e5e753d295e7f0e56",
            "pr:deleted, go-scm/pr_deleted.json, DECLINED, 2, develop, b9eaed50a03c073b20dfa82e5e753d295e7f0e56"})
    void pullRequests(String eventKey, String fixture, PullRequestAction action, long id, String source, String commit)
            throws IOException {
        PullRequestChanged event = pullRequest(eventKey, fixture(fixture));

        assertThat(event.action()).isEqualTo(action);
        assertThat(event.repository()).isEqualTo(MY_REPO);
        assertThat(event.pullRequestId()).isEqualTo(id);
        assertThat(event.sourceBranch()).isEqualTo(source);
        assertThat(event.targetBranch()).isEqualTo("master");
        assertThat(event.sourceCommit()).isEqualTo(commit);
        assertThat(event.sourceCommitAbbreviated()).isFalse();
        assertThat(event.fromFork()).isFalse();
        assertThat(event.sourceRepository()).isEqualTo(MY_REPO);
        assertThat(event.author()).isEqualTo("Jane Citizen");
        assertThat(event.actor()).isEqualTo("Jane Citizen");
        assertThat(event.eventId()).isEqualTo(EventIds.of(new DeliveryId(ScmProvider.BITBUCKET_DATA_CENTER, "r-1")));
    }

    @ParameterizedTest
    @CsvSource({"pr:opened, pr-opened.json, OPENED", "pr:merged, pr-merged.json, MERGED",
            "pr:declined, pr-declined.json, DECLINED", "pr:deleted, pr-deleted.json, DECLINED"})
    void pullRequestsOfPersonalProjects(String eventKey, String fixture, PullRequestAction action) throws IOException {
        PullRequestChanged event = pullRequest(eventKey, fixture("go-playground/" + fixture));

        assertThat(event.action()).isEqualTo(action);
        assertThat(event.repository().fullName()).isEqualTo("~gopher/webhook-test");
        assertThat(event.sourceBranch()).isEqualTo("feature/wip");
        assertThat(event.fromFork()).isFalse();
    }

    @Test
    void aForkInAPersonalProjectWithTheSameSlugIsAFork() throws IOException {
        ObjectNode body = fixture("go-scm/pr_modified_meta.json"); // from ~jcitizen/my-repo into PRJ/my-repo
        body.put("eventKey", "pr:opened");

        PullRequestChanged event = pullRequest("pr:opened", body);

        assertThat(event.fromFork()).isTrue();
        assertThat(event.repository()).isEqualTo(MY_REPO);
        assertThat(event.sourceRepository()).isEqualTo(new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "~jcitizen", "my-repo"));
        assertThat(event.sourceBranch()).isEqualTo("cleanup");
    }

    @Test
    void pingNeedsNoAction() {
        NormalisedDelivery result = normalise("diagnostics:ping", MAPPER.createObjectNode().put("test", true));

        assertThat(result.needsAction()).isFalse();
        assertThat(result.ignoredBecause()).contains("diagnostics:ping");
    }

    @Test
    void eventKeysWithoutActionAreIgnored() throws IOException {
        assertThat(normalise("pr:modified", fixture("go-scm/pr_modified_toref.json")).ignoredBecause())
                .isEqualTo("event key 'pr:modified' needs no action");
        assertThat(normalise("pr:comment:added", fixture("go-playground/pr-comment-added.json")).needsAction()).isFalse();
    }

    @Test
    void anEventKeyInTheBodyThatContradictsTheHeaderIsMalformed() throws IOException {
        assertThatThrownBy(() -> normalise("pr:merged", fixture("go-scm/pr_open.json")))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage("eventKey does not match the X-Event-Key header");
    }

    @Test
    void wronglyTypedFieldsAreMalformed() throws IOException {
        ObjectNode idAsText = fixture("go-scm/pr_open.json");
        ((ObjectNode) idAsText.path("pullRequest")).put("id", "two");
        ObjectNode projectAsText = fixture("go-scm/push.json");
        ((ObjectNode) projectAsText.path("repository")).put("project", "PRJ");

        assertThatThrownBy(() -> normalise("pr:opened", idAsText)).hasMessage("pullRequest.id must be a whole number");
        assertThatThrownBy(() -> pushes(projectAsText)).hasMessage("repository.project must be an object");
    }

    @Test
    void theRepositoryNameIsReadFromTheUnverifiedBodyAlone() {
        UnverifiedBody push = new UnverifiedBody(Fixtures.bytes("bitbucket-dc/go-scm/push.json"), MAPPER.getFactory());
        UnverifiedBody fork = new UnverifiedBody(Fixtures.bytes("bitbucket-dc/go-scm/pr_modified_meta.json"),
                MAPPER.getFactory());

        assertThat(NORMALISER.repositoryName("repo:refs_changed", push)).contains("PRJ/my-repo");
        assertThat(NORMALISER.repositoryName("pr:opened", fork)).contains("PRJ/my-repo"); // the destination, not the fork
        assertThat(NORMALISER.repositoryName("diagnostics:ping", new UnverifiedBody("{\"test\":true}".getBytes(),
                MAPPER.getFactory()))).isEmpty();
    }
}
