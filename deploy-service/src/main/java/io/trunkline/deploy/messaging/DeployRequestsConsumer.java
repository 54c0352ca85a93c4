package io.trunkline.deploy.messaging;

import io.smallrye.common.annotation.Blocking;
import io.trunkline.commons.messaging.IncomingEvents;
import io.trunkline.deploy.service.DeploymentRunner;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.TrunklineEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code trunkline.deploy-requests}, one record at a time in partition order, so the
 * deployments of one repository and environment never overlap. Records of event types this
 * service does not know are skipped; a record that is not a valid event, or whose processing
 * fails, is nacked and goes to {@code trunkline.deploy-requests.dlq}.
 */
@ApplicationScoped
public class DeployRequestsConsumer {

    private static final Logger LOG = Logger.getLogger(DeployRequestsConsumer.class);

    private final DeploymentRunner runner;

    public DeployRequestsConsumer(DeploymentRunner runner) {
        this.runner = runner;
    }

    @Incoming("deploy-requests")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        Optional<TrunklineEvent> event = IncomingEvents.read(record);
        if (event.isEmpty()) {
            LOG.debugf("Skipped a record of unknown type at %s-%d@%d", record.topic(), record.partition(), record.offset());
            return;
        }
        if (!(event.get() instanceof DeploymentRequested request)) {
            LOG.debugf("Skipped a %s event at %s-%d@%d", event.get().eventType(), record.topic(), record.partition(),
                    record.offset());
            return;
        }
        if (request.eventId() == null || request.deploymentId() == null || request.repository() == null
                || request.environment() == null) {
            throw new IllegalArgumentException("deployment request at " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + " lacks its event id, deployment id, repository or environment");
        }
        runner.run(request);
    }
}
