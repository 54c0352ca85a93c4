package io.trunkline.deploy.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.commons.messaging.PoisonRecordException;
import io.trunkline.deploy.service.DeploymentLanes;
import io.trunkline.deploy.service.DeploymentRunner;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentCancelRequested;
import io.trunkline.events.DeploymentRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code trunkline.deploy-requests}: each record goes to the lane of its key (repository and
 * environment, {@link DeploymentLanes}), so the deployments of one environment run one at a time in
 * partition order while other environments are deployed side by side. A record is acknowledged once
 * its lane has processed it (claimed the run, called the target; a run the target started is stored
 * then, and followed on to its end before the environment's next request, but without its record);
 * the connector commits an offset only when every record before it is acknowledged, so a request
 * waiting in a lane is delivered again after a crash. A request without
 * its ids is invalid by contract and goes to {@code trunkline.deploy-requests.dlq}. An operator's
 * cancel ({@code DeploymentCancelRequested}) goes to a lane of its own beside its environment's, so that
 * it reaches a run being followed without waiting for its end. Failures of the
 * database or the broker are waited out in the lane (see {@link EventProcessing}).
 */
@ApplicationScoped
public class DeployRequestsConsumer {

    static final String CONSUMER = "deploy-service/deploy-requests";
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final EventProcessing processing;
    private final DeploymentRunner runner;
    private final DeploymentLanes lanes;

    public DeployRequestsConsumer(EventProcessing processing, DeploymentRunner runner, DeploymentLanes lanes) {
        this.processing = processing;
        this.runner = runner;
        this.lanes = lanes;
    }

    /** @return completes when the next record may be taken: at once, unless too many wait in the lanes */
    @Incoming("deploy-requests")
    @SuppressWarnings("unchecked")
    public CompletionStage<Void> consume(Message<String> message) {
        long receivedAt = System.nanoTime();
        ConsumerRecord<String, String> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> (ConsumerRecord<String, String>) metadata.getRecord())
                .orElseThrow(() -> new IllegalStateException("deploy-requests carries Kafka records only"));
        // a cancel must not wait behind the deployment it is about: it has a lane of its own per key
        String lane = DeploymentCancelRequested.TYPE.equals(type(record)) ? "cancel/" + record.key() : record.key();
        return lanes.submitAsync(lane, () -> {
            CompletionStage<Void> following;
            try {
                following = process(record, receivedAt);
            } catch (RuntimeException e) {
                // the process is stopping in the middle of a retry: the record is delivered again after the restart
                message.nack(e);
                return DONE;
            }
            // the run is claimed, and a run its target started is stored: what is left survives a restart
            message.ack();
            return following;
        });
    }

    /** @return completes when the lane may take the key's next record: once a run the target started ended */
    private CompletionStage<Void> process(ConsumerRecord<String, String> record, long receivedAt) {
        AtomicReference<CompletionStage<Void>> following = new AtomicReference<>(DONE);
        processing.process(CONSUMER, record, event -> {
            if (event instanceof DeploymentRequested request) {
                if (request.eventId() == null || request.deploymentId() == null || request.repository() == null
                        || request.environment() == null) {
                    throw new PoisonRecordException(
                            "the deployment request lacks its event id, deployment id, repository or environment");
                }
                following.set(runner.run(request, receivedAt));
            } else if (event instanceof DeploymentCancelRequested cancel) {
                if (cancel.eventId() == null || cancel.deploymentId() == null) {
                    throw new PoisonRecordException("the cancel request lacks its event id or deployment id");
                }
                runner.cancel(cancel);
            }
        });
        return following.get();
    }

    private static String type(ConsumerRecord<String, String> record) {
        try {
            return CloudEventHeaders.read(record.headers()).type();
        } catch (RuntimeException e) {
            return null; // not a CloudEvent: EventProcessing dead-letters it
        }
    }
}
