package io.trunkline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Pins the JSON form of each event: changing it breaks consumers already deployed. */
class EventCodecTest {

    private static final UUID EVENT_ID = UUID.fromString("6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11");
    private static final UUID DEPLOYMENT_ID = UUID.fromString("0b8e7c43-1a2b-4c3d-8e9f-112233445566");
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");
    private static final RepositoryRef REPO = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "shop");

    @Test
    void refsPushedJson() {
        RefsPushed event = new RefsPushed(EVENT_ID, AT, REPO,
                List.of(new RefChange(RefType.BRANCH, "main", "a".repeat(40), "b".repeat(40), false)),
                "jdoe", "delivery-1");

        String json = EventCodec.encode(event);

        assertThat(json).isEqualTo("{\"eventId\":\"6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11\","
                + "\"occurredAt\":\"2026-11-23T10:15:30Z\","
                + "\"repository\":{\"provider\":\"bitbucket-cloud\",\"workspace\":\"acme\",\"slug\":\"shop\"},"
                + "\"changes\":[{\"refType\":\"branch\",\"refName\":\"main\",\"oldCommit\":\"" + "a".repeat(40)
                + "\",\"newCommit\":\"" + "b".repeat(40) + "\",\"forced\":false}],"
                + "\"actor\":\"jdoe\",\"deliveryId\":\"delivery-1\"}");
        assertThat(EventCodec.decode(RefsPushed.TYPE, json)).contains(event);
        assertThat(event.partitionKey()).isEqualTo("bitbucket-cloud:acme/shop");
    }

    @Test
    void pullRequestChangedJson() {
        PullRequestChanged event = new PullRequestChanged(EVENT_ID, AT,
                new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "PRJ", "shop"), 42, PullRequestAction.OPENED,
                "feature/x", "c".repeat(40), "main", true, "Add x", "jdoe", "delivery-2",
                new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "~JDOE", "shop"), false, "Jane Doe");

        String json = EventCodec.encode(event);

        assertThat(json).isEqualTo("{\"eventId\":\"6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11\","
                + "\"occurredAt\":\"2026-11-23T10:15:30Z\","
                + "\"repository\":{\"provider\":\"bitbucket-data-center\",\"workspace\":\"PRJ\",\"slug\":\"shop\"},"
                + "\"pullRequestId\":42,\"action\":\"opened\",\"sourceBranch\":\"feature/x\","
                + "\"sourceCommit\":\"" + "c".repeat(40) + "\",\"targetBranch\":\"main\",\"fromFork\":true,"
                + "\"title\":\"Add x\",\"actor\":\"jdoe\",\"deliveryId\":\"delivery-2\","
                + "\"sourceRepository\":{\"provider\":\"bitbucket-data-center\",\"workspace\":\"~JDOE\",\"slug\":\"shop\"},"
                + "\"sourceCommitAbbreviated\":false,\"author\":\"Jane Doe\"}");
        assertThat(EventCodec.decode(PullRequestChanged.TYPE, json)).contains(event);
        assertThat(event.subject()).isEqualTo("PRJ/shop/pull-requests/42");
    }

    @Test
    void pullRequestChangedOfAnOlderProducerStillReads() {
        String older = "{\"eventId\":\"6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11\",\"occurredAt\":\"2026-11-23T10:15:30Z\","
                + "\"repository\":{\"provider\":\"bitbucket-cloud\",\"workspace\":\"acme\",\"slug\":\"shop\"},"
                + "\"pullRequestId\":7,\"action\":\"updated\",\"sourceBranch\":\"fix\",\"sourceCommit\":\"0123456789ab\","
                + "\"targetBranch\":\"main\",\"fromFork\":false,\"title\":\"Fix\",\"actor\":\"jdoe\",\"deliveryId\":\"d\"}";

        PullRequestChanged event = (PullRequestChanged) EventCodec.decode(PullRequestChanged.TYPE, older).orElseThrow();

        assertThat(event.sourceCommit()).isEqualTo("0123456789ab");
        assertThat(event.sourceRepository()).isNull();
        assertThat(new PullRequestChanged(EVENT_ID, AT, REPO, 7, PullRequestAction.UPDATED, "fix", "0123456789ab",
                "main", false, "Fix", "jdoe", "d").sourceCommitAbbreviated()).isTrue();
    }

    @Test
    void deploymentRequestedJsonCarriesCredentialReferenceNotValue() {
        DeploymentRequested event = new DeploymentRequested(EVENT_ID, AT, DEPLOYMENT_ID, REPO, "staging",
                DeploymentOperation.DEPLOY, "d".repeat(40), "main", null, null,
                TargetSpec.http("POST", "https://deploy.example.com/{commit}", new CredentialRef("bearer", "env:TOKEN")), null);

        String json = EventCodec.encode(event);

        assertThat(json).isEqualTo("{\"eventId\":\"6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11\","
                + "\"occurredAt\":\"2026-11-23T10:15:30Z\","
                + "\"deploymentId\":\"0b8e7c43-1a2b-4c3d-8e9f-112233445566\","
                + "\"repository\":{\"provider\":\"bitbucket-cloud\",\"workspace\":\"acme\",\"slug\":\"shop\"},"
                + "\"environment\":\"staging\",\"operation\":\"deploy\",\"commit\":\"" + "d".repeat(40) + "\","
                + "\"branch\":\"main\",\"target\":{\"type\":\"http\",\"method\":\"POST\","
                + "\"url\":\"https://deploy.example.com/{commit}\",\"auth\":{\"type\":\"bearer\",\"token\":\"env:TOKEN\"}}}");
        assertThat(EventCodec.decode(DeploymentRequested.TYPE, json)).get()
                .usingRecursiveComparison().ignoringFields("target.headers", "target.variables").isEqualTo(event);
        assertThat(event.partitionKey()).isEqualTo("bitbucket-cloud:acme/shop/staging");
    }

    @Test
    void deploymentStateChangedJsonAndTypePerState() {
        DeploymentStateChanged event = new DeploymentStateChanged(EVENT_ID, AT, DEPLOYMENT_ID, REPO, "staging",
                DeploymentOperation.DEPLOY, "d".repeat(40), null, DeploymentState.IN_PROGRESS, "calling target");

        String json = EventCodec.encode(event);

        assertThat(json).isEqualTo("{\"eventId\":\"6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11\","
                + "\"occurredAt\":\"2026-11-23T10:15:30Z\","
                + "\"deploymentId\":\"0b8e7c43-1a2b-4c3d-8e9f-112233445566\","
                + "\"repository\":{\"provider\":\"bitbucket-cloud\",\"workspace\":\"acme\",\"slug\":\"shop\"},"
                + "\"environment\":\"staging\",\"operation\":\"deploy\",\"commit\":\"" + "d".repeat(40) + "\","
                + "\"state\":\"IN_PROGRESS\",\"reason\":\"calling target\"}");
        assertThat(event.eventType()).isEqualTo("io.trunkline.deployment.in-progress");
        assertThat(EventCodec.decode(event.eventType(), json)).contains(event);
    }

    @Test
    void deploymentStateChangedCarriesTheTargetRunsLinkAndReadsJsonWithoutIt() {
        DeploymentStateChanged event = new DeploymentStateChanged(EVENT_ID, AT, DEPLOYMENT_ID, REPO, "production",
                DeploymentOperation.DEPLOY, "d".repeat(40), null, DeploymentState.SUCCEEDED, "pipeline completed", null,
                "release-7", null, "alice", "https://bitbucket.org/acme/shop/pipelines/results/42");

        String json = EventCodec.encode(event);

        String before = "{\"eventId\":\"6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11\","
                + "\"occurredAt\":\"2026-11-23T10:15:30Z\","
                + "\"deploymentId\":\"0b8e7c43-1a2b-4c3d-8e9f-112233445566\","
                + "\"repository\":{\"provider\":\"bitbucket-cloud\",\"workspace\":\"acme\",\"slug\":\"shop\"},"
                + "\"environment\":\"production\",\"operation\":\"deploy\",\"commit\":\"" + "d".repeat(40) + "\","
                + "\"state\":\"SUCCEEDED\",\"reason\":\"pipeline completed\",\"tag\":\"release-7\","
                + "\"triggeredBy\":\"alice\"";
        assertThat(json).isEqualTo(before
                + ",\"targetUrl\":\"https://bitbucket.org/acme/shop/pipelines/results/42\"}");
        assertThat(EventCodec.decode(event.eventType(), json)).contains(event);
        // an event written before the link existed reads with none
        assertThat(EventCodec.decode(event.eventType(), before + "}")).contains(event.withTargetUrl(null));
    }

    @Test
    void deploymentRequestedCarriesVerifyChecksAndReadsJsonWithoutThem() {
        DeploymentRequested event = new DeploymentRequested(EVENT_ID, AT, DEPLOYMENT_ID, REPO, "staging",
                DeploymentOperation.DEPLOY, "d".repeat(40), "main", null, null,
                TargetSpec.http("POST", "https://deploy.example.com/{commit}", null), null, "https://staging.example.com",
                List.of(VerifyCheck.http("{url}/health", new VerifyCheck.Expect(200, "ok", "/status",
                                com.fasterxml.jackson.databind.node.TextNode.valueOf("UP")), 10, "5s", "2s"),
                        VerifyCheck.postman("file:/run/secrets/api.postman_collection.json",
                                Map.of("baseUrl", "{url}", "apiKey", "env:TRUNKLINE_TARGET_API_KEY"), "5m")));

        String json = EventCodec.encode(event);

        String before = "{\"eventId\":\"6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11\","
                + "\"occurredAt\":\"2026-11-23T10:15:30Z\","
                + "\"deploymentId\":\"0b8e7c43-1a2b-4c3d-8e9f-112233445566\","
                + "\"repository\":{\"provider\":\"bitbucket-cloud\",\"workspace\":\"acme\",\"slug\":\"shop\"},"
                + "\"environment\":\"staging\",\"operation\":\"deploy\",\"commit\":\"" + "d".repeat(40) + "\","
                + "\"branch\":\"main\",\"target\":{\"type\":\"http\",\"method\":\"POST\","
                + "\"url\":\"https://deploy.example.com/{commit}\"}";
        assertThat(json).isEqualTo(before + ",\"environmentUrl\":\"https://staging.example.com\","
                + "\"verify\":[{\"type\":\"http\",\"url\":\"{url}/health\",\"expect\":{\"status\":200,"
                + "\"bodyContains\":\"ok\",\"jsonPointer\":\"/status\",\"equals\":\"UP\"},\"retries\":10,"
                + "\"interval\":\"5s\",\"timeout\":\"2s\"},{\"type\":\"postman\",\"timeout\":\"5m\","
                + "\"collection\":\"file:/run/secrets/api.postman_collection.json\",\"environment\":{"
                + (json.indexOf("\"baseUrl\"") < json.indexOf("\"apiKey\"")
                        ? "\"baseUrl\":\"{url}\",\"apiKey\":\"env:TRUNKLINE_TARGET_API_KEY\""
                        : "\"apiKey\":\"env:TRUNKLINE_TARGET_API_KEY\",\"baseUrl\":\"{url}\"") + "}}]}");
        assertThat(EventCodec.decode(DeploymentRequested.TYPE, json)).get()
                .usingRecursiveComparison().ignoringFields("target.headers", "target.variables").isEqualTo(event);
        // a request written before verification reads with no checks
        DeploymentRequested older = (DeploymentRequested) EventCodec.decode(DeploymentRequested.TYPE, before + "}")
                .orElseThrow();
        assertThat(older.verify()).isNull();
        assertThat(older.environmentUrl()).isNull();
        assertThat(older.verifies()).isFalse();
    }

    @Test
    void deploymentStateChangedCarriesTheVerificationAndReadsJsonWithoutIt() {
        VerificationResult verification = new VerificationResult(VerificationResult.FAILED, "smoke tests", List.of(
                new VerificationResult.CheckResult("http check 1", "http", "passed", 3, "answered 200", null),
                new VerificationResult.CheckResult("smoke tests", "postman", "failed", 1, "1 of 4 assertions failed",
                        new VerificationResult.PostmanSummary(2, 0, 4, 1,
                                List.of(new VerificationResult.Failure("status is 200", "expected 500 to equal 200"))))));
        DeploymentStateChanged event = new DeploymentStateChanged(EVENT_ID, AT, DEPLOYMENT_ID, REPO, "staging",
                DeploymentOperation.DEPLOY, "d".repeat(40), null, DeploymentState.FAILED,
                "verification failed: smoke tests", null, null, null, null, null, verification);

        String json = EventCodec.encode(event);

        String before = "{\"eventId\":\"6f1c1d52-3b5e-4f4e-9d55-0d7b7f0b8e11\","
                + "\"occurredAt\":\"2026-11-23T10:15:30Z\","
                + "\"deploymentId\":\"0b8e7c43-1a2b-4c3d-8e9f-112233445566\","
                + "\"repository\":{\"provider\":\"bitbucket-cloud\",\"workspace\":\"acme\",\"slug\":\"shop\"},"
                + "\"environment\":\"staging\",\"operation\":\"deploy\",\"commit\":\"" + "d".repeat(40) + "\","
                + "\"state\":\"FAILED\",\"reason\":\"verification failed: smoke tests\"";
        assertThat(json).isEqualTo(before + ",\"verification\":{\"outcome\":\"failed\",\"failedCheck\":\"smoke tests\","
                + "\"checks\":[{\"name\":\"http check 1\",\"type\":\"http\",\"outcome\":\"passed\",\"attempts\":3,"
                + "\"detail\":\"answered 200\"},{\"name\":\"smoke tests\",\"type\":\"postman\",\"outcome\":\"failed\","
                + "\"attempts\":1,\"detail\":\"1 of 4 assertions failed\",\"summary\":{\"requests\":2,"
                + "\"requestsFailed\":0,\"assertions\":4,\"assertionsFailed\":1,\"failures\":[{\"name\":\"status is 200\","
                + "\"message\":\"expected 500 to equal 200\"}]}}]}}");
        assertThat(EventCodec.decode(event.eventType(), json)).contains(event);
        assertThat(EventCodec.decode(event.eventType(), before + "}")).contains(event.withVerification(null));
    }

    @Test
    void unknownTypeIsSkippedAndMalformedJsonIsReported() {
        assertThat(EventCodec.decode("io.example.other", "{}")).isEmpty();
        assertThatThrownBy(() -> EventCodec.decode(RefsPushed.TYPE, "{\"repository\":{\"provider\":\"gitlab\"}}"))
                .isInstanceOf(EventCodec.MalformedEventException.class)
                .hasMessageContaining(RefsPushed.TYPE);
    }

    @Test
    void recordCarriesKeyHeadersAndJson() {
        DeploymentStateChanged event = new DeploymentStateChanged(EVENT_ID, AT, DEPLOYMENT_ID, REPO, "staging",
                DeploymentOperation.DEPLOY, "d".repeat(40), null, DeploymentState.FAILED, "target answered 500");

        org.apache.kafka.clients.producer.ProducerRecord<String, String> record =
                CloudEventHeaders.record(Topics.DEPLOYMENT_STATUS, event, "deploy-service");

        assertThat(record.topic()).isEqualTo("trunkline.deployment-status");
        assertThat(record.key()).isEqualTo("bitbucket-cloud:acme/shop/staging");
        assertThat(record.value()).isEqualTo(EventCodec.encode(event));
        assertThat(CloudEventHeaders.read(record.headers())).isEqualTo(new CloudEventHeaders.Attributes(
                EVENT_ID, "io.trunkline.deployment.failed", "/trunkline/deploy-service", DEPLOYMENT_ID.toString(), AT));
    }

    @Test
    void cloudEventHeadersRoundTrip() {
        DeploymentStateChanged event = new DeploymentStateChanged(EVENT_ID, AT, DEPLOYMENT_ID, REPO, "staging",
                DeploymentOperation.DEPLOY, "d".repeat(40), null, DeploymentState.SUCCEEDED, null);

        Map<String, String> headers = CloudEventHeaders.of(event, "deploy-service");
        RecordHeaders kafkaHeaders = new RecordHeaders();
        headers.forEach((name, value) -> kafkaHeaders.add(name, value.getBytes()));

        assertThat(headers).containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_type", "io.trunkline.deployment.succeeded")
                .containsEntry("ce_source", "/trunkline/deploy-service")
                .containsEntry("content-type", "application/json");
        assertThat(CloudEventHeaders.read(kafkaHeaders)).isEqualTo(new CloudEventHeaders.Attributes(
                EVENT_ID, "io.trunkline.deployment.succeeded", "/trunkline/deploy-service", DEPLOYMENT_ID.toString(), AT));
    }
}
