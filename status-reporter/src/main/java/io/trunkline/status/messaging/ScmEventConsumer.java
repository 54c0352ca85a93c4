package io.trunkline.status.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.trunkline.commons.messaging.ConsumerLanes;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefsPushed;
import io.trunkline.status.persistence.CommitPushes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code trunkline.scm-events} for one fact: when each commit was first pushed, where the DORA
 * lead time for changes starts. Other events of the topic are not status-reporter's business. Records of
 * different repositories are processed side by side ({@link ConsumerLanes}).
 */
@ApplicationScoped
public class ScmEventConsumer {

    /** The name this consumer goes by in logs, metrics and dead letters. */
    public static final String CONSUMER = "status-reporter.scm-events";

    private final ConsumerLanes lanes;
    private final CommitPushes pushes;

    public ScmEventConsumer(EventProcessing processing, CommitPushes pushes) {
        this.lanes = processing.inLanes(CONSUMER);
        this.pushes = pushes;
    }

    @Incoming("scm-events")
    public CompletionStage<Void> consume(Message<String> message) {
        return lanes.process(message, event -> {
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
