package io.trunkline.promotion.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Looks every {@code trunkline.promotion.preview-check-interval} for previews idle for longer than their
 * environment's {@code ttl} and tears them down ({@link PullRequestPreviews#expireIdle}). Every instance
 * runs it; row locks keep them from tearing a preview down twice.
 */
@ApplicationScoped
public class PreviewExpiry {

    private static final Logger LOG = Logger.getLogger(PreviewExpiry.class);
    private static final int BATCH_SIZE = 100;

    private final PullRequestPreviews previews;

    public PreviewExpiry(PullRequestPreviews previews) {
        this.previews = previews;
    }

    @Scheduled(every = "${trunkline.promotion.preview-check-interval}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireIdle() {
        try {
            int seen;
            do {
                seen = previews.expireIdle(Instant.now(), BATCH_SIZE);
            } while (seen == BATCH_SIZE);
        } catch (RuntimeException e) {
            // a database outage: the previews are still there at the next check
            LOG.warnf("Preview ttl check failed, trying again at the next one: %s", e.getMessage());
        }
    }
}
