package io.trunkline.status.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefsPushed;
import io.trunkline.status.persistence.CommitPushes;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code trunkline.scm-events} for one fact: when each commit was first pushed, where the DORA
 * lead time for changes starts. Other events of the topic are not status-reporter's business.
 */
@ApplicationScoped
public class ScmEventConsumer {

    /** The name this consumer goes by in logs, metrics and dead letters. */
    public static final String CONSUMER = "status-reporter.scm-events";

    private final EventProcessing processing;
    private final CommitPushes pushes;

    public ScmEventConsumer(EventProcessing processing, CommitPushes pushes) {
        this.processing = processing;
        this.pushes = pushes;
    }

    @Incoming("scm-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        processing.process(CONSUMER, record, event -> {
            if (event instanceof RefsPushed pushed) {
                QuarkusTransaction.requiringNew().run(() -> {
                    for (RefChange change : pushed.changes()) {
                        if (change.newCommit() != null) {
                            pushes.pushed(pushed.repository(), change.newCommit(), pushed.occurredAt());
                        }
                    }
                });
            }
        });
    }
}
