package io.trunkline.status.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.status.service.DeploymentDetails;
import io.trunkline.status.service.DeploymentReporting;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code trunkline.deployment-status}, one record at a time in partition order. Poison
 * records go to the dead-letter topic; a database outage is waited out (see {@link EventProcessing}).
 * Bitbucket is not called here: its updates are queued and posted by the delivery worker.
 */
@ApplicationScoped
public class DeploymentStatusConsumer {

    private final EventProcessing processing;
    private final DeploymentReporting reporting;

    public DeploymentStatusConsumer(EventProcessing processing, DeploymentReporting reporting) {
        this.processing = processing;
        this.reporting = reporting;
    }

    @Incoming("deployment-status")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        processing.process(DeploymentReporting.CONSUMER, record, event -> {
            if (event instanceof DeploymentStateChanged changed) {
                reporting.report(changed, DeploymentDetails.of(changed));
            }
        });
    }
}
