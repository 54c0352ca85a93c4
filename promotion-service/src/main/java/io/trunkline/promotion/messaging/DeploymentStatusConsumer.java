package io.trunkline.promotion.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.trunkline.commons.messaging.ConsumerLanes;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.promotion.config.PromotionConfig;
import io.trunkline.promotion.service.Promotions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code trunkline.deployment-status}: deploy-service's run states move deployments on. The records are
 * keyed by repository and environment and applied in lanes (service-commons' {@link ConsumerLanes}): up to
 * {@code trunkline.promotion.lanes.deployment-status} environments at once, each environment's states one at a
 * time and in order. The end of a run and an SCM event's decision about the same environment (they come on
 * different topics) are serialised by the environment's lock in {@code DeploymentStateMachine}; IN_PROGRESS
 * decides nothing about the environment and takes the deployment's row lock only. The states this
 * service publishes itself come back here and change nothing: they are passed over without a transaction.
 */
@ApplicationScoped
public class DeploymentStatusConsumer {

    static final String CONSUMER = "promotion-service/deployment-status";

    private final Promotions promotions;
    private final ConsumerLanes lanes;
    private final Duration shutdownGrace;

    public DeploymentStatusConsumer(EventProcessing processing, Promotions promotions, PromotionConfig config) {
        this.promotions = promotions;
        PromotionConfig.Lanes lanes = config.promotion().lanes();
        this.lanes = new ConsumerLanes(processing, CONSUMER, lanes.deploymentStatus(), lanes.capacity());
        this.shutdownGrace = lanes.shutdownGrace();
    }

    /** @return completes when the next record may be taken: at once, unless too many wait in the lanes */
    @Incoming("deployment-status")
    public CompletionStage<Void> consume(Message<String> message) {
        return lanes.process(message, this::apply);
    }

    private void apply(TrunklineEvent event) {
        if (event instanceof DeploymentStateChanged changed && Promotions.isRunState(changed.state())) {
            promotions.onStateChanged(changed);
        }
    }

    /** Before the database and the broker clients go: no other record starts, those under way may finish. */
    void stop(@Observes @Priority(100) ShutdownEvent event) {
        lanes.close(shutdownGrace);
    }
}
