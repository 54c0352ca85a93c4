package io.trunkline.status.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.trunkline.commons.messaging.IncomingEvents;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.status.service.DeploymentReporting;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code trunkline.deployment-status}, one record at a time in partition order. A record
 * that cannot be reported (malformed, or Bitbucket refused its status) goes to the dead-letter topic.
 */
@ApplicationScoped
public class DeploymentStatusConsumer {

    private static final Logger LOG = Logger.getLogger(DeploymentStatusConsumer.class);

    private final DeploymentReporting reporting;

    public DeploymentStatusConsumer(DeploymentReporting reporting) {
        this.reporting = reporting;
    }

    @Incoming("deployment-status")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        Optional<TrunklineEvent> event = IncomingEvents.read(record);
        if (event.isPresent() && event.get() instanceof DeploymentStateChanged changed) {
            reporting.report(changed);
        } else {
            LOG.debugf("Record %s-%d@%d has no type this service knows, ignored",
                    record.topic(), record.partition(), record.offset());
        }
    }
}
