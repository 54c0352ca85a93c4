package io.trunkline.ingest.support;

import static org.awaitility.Awaitility.await;

import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.Topics;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.infra.test.TopicProbe;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What arrived on {@code trunkline.scm-events} for one repository of one provider. {@link #settled()}
 * proves that nothing more is on its way: it publishes a marker push to the same repository (same
 * key, so the same partition, behind everything published before) and waits for it.
 */
public final class ScmEvents implements AutoCloseable {

    private final TopicProbe probe;
    private final TopicProbe.Recording recording;
    private final ScmProvider provider;
    private final String repository;

    public ScmEvents(String bootstrapServers, String repository) {
        this(bootstrapServers, ScmProvider.BITBUCKET_CLOUD, repository);
    }

    public ScmEvents(String bootstrapServers, ScmProvider provider, String repository) {
        this.probe = new TopicProbe(bootstrapServers);
        this.recording = probe.record(Topics.SCM_EVENTS);
        this.provider = provider;
        this.repository = repository;
    }

    /** The pushes of the repository, marker excluded, once the marker arrived behind them. */
    public List<RefsPushed> settled() {
        return settledEvents().stream().filter(RefsPushed.class::isInstance).map(RefsPushed.class::cast).toList();
    }

    /** Every event of the repository (pushes and pull-request changes), marker excluded, once the marker arrived. */
    public List<TrunklineEvent> settledEvents() {
        String marker = "marker-" + UUID.randomUUID().toString().substring(0, 8);
        Deliveries.Change change = Deliveries.branch(marker, null, Deliveries.commit());
        if (provider == ScmProvider.BITBUCKET_CLOUD) {
            Deliveries.post(Deliveries.push(repository, change), UUID.randomUUID().toString()).statusCode(202);
        } else {
            Deliveries.postDataCenter("repo:refs_changed", Deliveries.dataCenterPush(repository, change),
                    UUID.randomUUID().toString()).statusCode(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> recording.events(RefsPushed.class,
                event -> ours(event.repository()) && isMarker(event, marker)).size() == 1);
        return recording.events(TrunklineEvent.class, event -> !(event instanceof RefsPushed push && isMarker(push, null))
                && ours(repositoryOf(event)));
    }

    private boolean ours(RepositoryRef ref) {
        return ref != null && ref.provider() == provider && ref.fullName().equals(repository);
    }

    private static boolean isMarker(RefsPushed push, String marker) {
        return push.changes().stream().anyMatch(change -> marker == null
                ? change.refName().startsWith("marker-") : change.refName().equals(marker));
    }

    private static RepositoryRef repositoryOf(TrunklineEvent event) {
        if (event instanceof RefsPushed push) {
            return push.repository();
        }
        if (event instanceof PullRequestChanged pullRequest) {
            return pullRequest.repository();
        }
        return null;
    }

    @Override
    public void close() {
        probe.close();
    }
}
