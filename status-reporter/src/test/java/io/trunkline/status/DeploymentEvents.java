package io.trunkline.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.TestServers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Builds deployment state events for one fresh deployment and produces them as deploy-service does. */
public final class DeploymentEvents {

    public static final RepositoryRef CLOUD_REPO = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "shop");
    public static final RepositoryRef DATA_CENTER_REPO = new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "PROJ", "shop");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RepositoryRef repository;
    private final String environment;
    private final UUID deploymentId = UUID.randomUUID();
    private final String commit;
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private DeploymentOperation operation = DeploymentOperation.DEPLOY;
    private Long pullRequestId;
    private int sequence;

    public DeploymentEvents(RepositoryRef repository, String environment) {
        this(repository, environment, randomCommit());
    }

    public DeploymentEvents(RepositoryRef repository, String environment, String commit) {
        this.repository = repository;
        this.environment = environment;
        this.commit = commit;
    }

    /** The deployment is of pull request {@code id}'s preview. */
    public DeploymentEvents pullRequest(long id) {
        this.pullRequestId = id;
        return this;
    }

    /** The deployment tears its environment down. */
    public DeploymentEvents teardown() {
        this.operation = DeploymentOperation.TEARDOWN;
        return this;
    }

    /** The deployment entered {@code state} at {@code at}. */
    public DeploymentStateChanged at(Instant at, DeploymentState state, String reason) {
        return new DeploymentStateChanged(UUID.randomUUID(), at, deploymentId, repository, environment, operation, commit,
                pullRequestId, state, reason);
    }

    public UUID deploymentId() {
        return deploymentId;
    }

    public String commit() {
        return commit;
    }

    /** The next state of the deployment, one second after the previous one. */
    public DeploymentStateChanged next(DeploymentState state, String reason) {
        return at(start.plusSeconds(sequence++), state, reason);
    }

    public DeploymentStateChanged next(DeploymentState state) {
        return next(state, null);
    }

    /** Produces the events to {@code trunkline.deployment-status}, in order, and waits for the broker's acknowledgement. */
    public static void produce(KafkaCompanion kafka, DeploymentStateChanged... events) {
        List<ProducerRecord<String, String>> records = Arrays.stream(events).map(DeploymentEvents::record).toList();
        kafka.produceStrings().fromRecords(records).awaitCompletion();
    }

    public static ProducerRecord<String, String> record(DeploymentStateChanged event) {
        return CloudEventHeaders.record(Topics.DEPLOYMENT_STATUS, event, "deploy-service");
    }

    /**
     * The record of {@code event} with {@code fields} added to its JSON, as a producer that sets the
     * optional fields of {@code DeploymentStateChanged} sends it (branch, tag, environmentUrl, triggeredBy),
     * or one that sends fields this version does not know.
     */
    public static ProducerRecord<String, String> withFields(DeploymentStateChanged event, Map<String, String> fields) {
        ProducerRecord<String, String> plain = record(event);
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(plain.value());
            fields.forEach(json::put);
            return new ProducerRecord<>(plain.topic(), null, plain.key(), JSON.writeValueAsString(json), plain.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Produces the records in order and waits for the broker's acknowledgement. */
    @SafeVarargs
    public static void produce(KafkaCompanion kafka, ProducerRecord<String, String>... records) {
        kafka.produceStrings().fromRecords(Arrays.asList(records)).awaitCompletion();
    }

    public static KafkaCompanion kafka() {
        return new KafkaCompanion(TestServers.get().bootstrapServers());
    }

    public static String randomCommit() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
