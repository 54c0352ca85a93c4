package io.trunkline.deploy.messaging;

import io.smallrye.common.annotation.Blocking;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.commons.messaging.PoisonRecordException;
import io.trunkline.deploy.service.DeploymentRunner;
import io.trunkline.events.DeploymentRequested;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code trunkline.deploy-requests}, one record at a time in partition order, so the
 * deployments of one repository and environment never overlap. A request without its ids is
 * invalid by contract and goes to {@code trunkline.deploy-requests.dlq}; failures of the database
 * or the broker are waited out (see {@link EventProcessing}).
 */
@ApplicationScoped
public class DeployRequestsConsumer {

    static final String CONSUMER = "deploy-service/deploy-requests";

    private final EventProcessing processing;
    private final DeploymentRunner runner;

    public DeployRequestsConsumer(EventProcessing processing, DeploymentRunner runner) {
        this.processing = processing;
        this.runner = runner;
    }

    @Incoming("deploy-requests")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        processing.process(CONSUMER, record, event -> {
            if (event instanceof DeploymentRequested request) {
                if (request.eventId() == null || request.deploymentId() == null || request.repository() == null
                        || request.environment() == null) {
                    throw new PoisonRecordException(
                            "the deployment request lacks its event id, deployment id, repository or environment");
                }
                runner.run(request);
            }
        });
    }
}
