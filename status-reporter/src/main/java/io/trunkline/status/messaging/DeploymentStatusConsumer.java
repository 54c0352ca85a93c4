package io.trunkline.status.messaging;

import io.trunkline.commons.messaging.ConsumerLanes;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.status.service.DeploymentDetails;
import io.trunkline.status.service.DeploymentReporting;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code trunkline.deployment-status}: the records of one key (a repository's environment) one
 * at a time in partition order, those of different keys side by side ({@link ConsumerLanes}). Poison
 * records go to the dead-letter topic; a database outage is waited out (see {@link EventProcessing}).
 * Bitbucket is not called here: its updates are queued and posted by the delivery worker.
 */
@ApplicationScoped
public class DeploymentStatusConsumer {

    private final ConsumerLanes lanes;
    private final DeploymentReporting reporting;

    public DeploymentStatusConsumer(EventProcessing processing, DeploymentReporting reporting) {
        this.lanes = processing.inLanes(DeploymentReporting.CONSUMER);
        this.reporting = reporting;
    }

    @Incoming("deployment-status")
    public CompletionStage<Void> consume(Message<String> message) {
        return lanes.process(message, event -> {
            if (event instanceof DeploymentStateChanged changed) {
                reporting.report(changed, DeploymentDetails.of(changed));
            }
        });
    }
}
