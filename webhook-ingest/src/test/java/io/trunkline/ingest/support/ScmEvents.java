package io.trunkline.ingest.support;

import static org.awaitility.Awaitility.await;

import io.trunkline.events.RefsPushed;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.TopicProbe;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What arrived on {@code trunkline.scm-events} for one repository. {@link #settled()} proves that
 * nothing more is on its way: it publishes a marker push to the same repository (same key, so the
 * same partition, behind everything published before) and waits for it.
 */
public final class ScmEvents implements AutoCloseable {

    private final TopicProbe probe;
    private final TopicProbe.Recording recording;
    private final String repository;

    public ScmEvents(String bootstrapServers, String repository) {
        this.probe = new TopicProbe(bootstrapServers);
        this.recording = probe.record(Topics.SCM_EVENTS);
        this.repository = repository;
    }

    /** The events of the repository, marker excluded, once the marker arrived behind them. */
    public List<RefsPushed> settled() {
        String marker = "marker-" + UUID.randomUUID().toString().substring(0, 8);
        Deliveries.post(Deliveries.push(repository, Deliveries.branch(marker, null, Deliveries.commit())),
                UUID.randomUUID().toString()).statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> !events(marker).isEmpty());
        return recording.events(RefsPushed.class, event -> event.repository().fullName().equals(repository)
                && event.changes().stream().noneMatch(change -> change.refName().startsWith("marker-")));
    }

    private List<RefsPushed> events(String marker) {
        return recording.events(RefsPushed.class, event -> event.repository().fullName().equals(repository)
                && event.changes().stream().anyMatch(change -> change.refName().equals(marker)));
    }

    @Override
    public void close() {
        probe.close();
    }
}
