package io.trunkline.promotion.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.trunkline.commons.outbox.Outbox;
import io.trunkline.events.PullRequestAction;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.Topics;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.promotion.client.BitbucketClient;
import io.trunkline.promotion.client.BitbucketRefusedException;
import io.trunkline.promotion.client.ClosedPullRequest;
import io.trunkline.promotion.client.RemotePage;
import io.trunkline.promotion.client.RemotePullRequest;
import io.trunkline.promotion.client.RemoteRef;
import io.trunkline.promotion.config.PromotionConfig;
import io.trunkline.promotion.persistence.PreviewEntity;
import io.trunkline.promotion.persistence.RefHeadEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The reconciliation of missed webhooks. For each repository whose configuration sets
 * {@code "reconcile": {"interval": ...}}, once per interval, one instance (the one that claims the repository's
 * {@code reconcile_state} row: {@code FOR UPDATE SKIP LOCKED}, then a claim that lasts
 * {@code trunkline.promotion.reconcile-claim}) asks Bitbucket, outside any transaction, for what the
 * configuration's triggers look at: the trunk branch's head ({@code trunk}), the tags matching
 * {@code releaseTagPattern} ({@code release-tag}), the open pull requests ({@code pull-request}). It compares
 * that with what the last run saw ({@code reconcile_ref}) and with what this service already knows (each ref's
 * head in {@code ref_head}, each preview's head commit), and raises what no webhook reported: a
 * {@link RefsPushed} per moved branch or new tag, a {@link PullRequestChanged} per pull request opened or given
 * a new commit, and one per pull request with an open preview that Bitbucket no longer lists as open (asked
 * for that pull request: merged, or declined, superseded or deleted), which ends its previews. They go to
 * {@code trunkline.scm-events} through the outbox, in the transaction that records what
 * was seen, so this service's consumer (with its duplicate and stale rules) and status-reporter take them as
 * they take webhook-ingest's; a webhook that arrives afterwards for the same change is a duplicate. Event ids
 * are derived from the repository, the run's sequence number and what was seen, so a redelivered event is
 * recognised. The first run, and the first after the trunk branch, tag pattern or triggers changed, only
 * records what exists (a baseline) and raises nothing: enabling reconciliation never deploys old tags.
 * Bitbucket unavailable or refusing: logged, tried again after the interval. Deleted refs are not raised, nor is
 * a closed pull request when more open ones were listed than one run reads.
 */
@ApplicationScoped
public class Reconciliation {

    /** Who the events raised by reconciliation name as their actor. */
    public static final String ACTOR = "trunkline-reconciliation";

    private static final Logger LOG = Logger.getLogger(Reconciliation.class);
    private static final int BATCH_SIZE = 20;
    /** The most pages of tags (100 each on Cloud) or pull requests (50) read per run. */
    private static final int MAX_PAGES = 50;

    private final EntityManager entityManager;
    private final BitbucketClient bitbucket;
    private final RepositoryConfigurations configurations;
    private final Outbox outbox;
    private final PromotionConfig config;

    public Reconciliation(EntityManager entityManager, BitbucketClient bitbucket, RepositoryConfigurations configurations,
            Outbox outbox, PromotionConfig config) {
        this.entityManager = entityManager;
        this.bitbucket = bitbucket;
        this.configurations = configurations;
        this.outbox = outbox;
        this.config = config;
    }

    /** A repository's run claimed by this instance. */
    record Claim(RepositoryRef repository, UUID token) {
    }

    /** What Bitbucket showed: the trunk head (null: not looked at or absent), the release tags, the open pull requests. */
    record Observation(String scope, String trunkBranch, String trunkHead, Map<String, String> tags,
            List<RemotePullRequest> pullRequests, List<ClosedPullRequest> closed) {
    }

    /** What one run did. */
    public enum Outcome {
        /** First run (or the scope changed): what exists was recorded, nothing raised. */
        BASELINE,
        /** Compared with what was seen and known, missed events raised (possibly none). */
        RECONCILED,
        /** Bitbucket could not answer or refused: tried again after the interval. */
        FAILED,
        /** Another instance took the run over (this one's claim expired), or reconciliation was turned off. */
        SKIPPED
    }

    /** Runs every due reconciliation this instance can claim, one repository after another; returns what each did. */
    public Map<RepositoryRef, Outcome> runDue() {
        UUID token = UUID.randomUUID();
        Map<RepositoryRef, Outcome> outcomes = new LinkedHashMap<>();
        List<Claim> claims;
        do {
            claims = QuarkusTransaction.requiringNew().call(() -> claimDue(token, BATCH_SIZE));
            for (Claim claim : claims) {
                outcomes.put(claim.repository(), reconcile(claim));
            }
        } while (claims.size() == BATCH_SIZE);
        return outcomes;
    }

    /**
     * Forgets the state of repositories whose reconciliation is off (turned on again, it starts with a baseline),
     * adds those newly on, and claims up to {@code limit} of the due ones no other instance holds.
     */
    @SuppressWarnings("unchecked")
    private List<Claim> claimDue(UUID token, int limit) {
        entityManager.createNativeQuery("""
                DELETE FROM reconcile_state s WHERE NOT EXISTS (SELECT 1 FROM repository_config c
                 WHERE c.provider = s.provider AND c.workspace = s.workspace AND c.slug = s.slug
                   AND c.reconcile_interval_seconds IS NOT NULL)""").executeUpdate();
        entityManager.createNativeQuery("""
                INSERT INTO reconcile_state (provider, workspace, slug)
                SELECT c.provider, c.workspace, c.slug FROM repository_config c
                 WHERE c.reconcile_interval_seconds IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reconcile_state s
                  WHERE s.provider = c.provider AND s.workspace = c.workspace AND s.slug = c.slug)
                ON CONFLICT DO NOTHING""").executeUpdate();
        List<Object[]> rows = entityManager.createNativeQuery("""
                UPDATE reconcile_state s SET claimed_by = ?1,
                       claimed_until = clock_timestamp() + make_interval(secs => ?2)
                  FROM (SELECT d.provider, d.workspace, d.slug FROM reconcile_state d
                          JOIN repository_config c
                            ON c.provider = d.provider AND c.workspace = d.workspace AND c.slug = d.slug
                         WHERE c.reconcile_interval_seconds IS NOT NULL
                           AND (d.last_run_at IS NULL
                                OR d.last_run_at + make_interval(secs => c.reconcile_interval_seconds) <= clock_timestamp())
                           AND (d.claimed_until IS NULL OR d.claimed_until < clock_timestamp())
                         ORDER BY d.last_run_at NULLS FIRST
                         LIMIT ?3
                         FOR UPDATE OF d SKIP LOCKED) due
                 WHERE s.provider = due.provider AND s.workspace = due.workspace AND s.slug = due.slug
                RETURNING s.provider, s.workspace, s.slug""")
                .setParameter(1, token)
                .setParameter(2, (double) config.promotion().reconcileClaim().toSeconds())
                .setParameter(3, limit)
                .getResultList();
        return rows.stream().map(row -> new Claim(new RepositoryRef(ScmProvider.fromId((String) row[0]),
                (String) row[1], (String) row[2]), token)).toList();
    }

    private Outcome reconcile(Claim claim) {
        RepositoryRef repository = claim.repository();
        try {
            Optional<RepositoryConfiguration> configuration = configurations.get(repository)
                    .map(RepositoryConfigurations.StoredConfiguration::configuration)
                    .filter(stored -> stored.reconcile() != null);
            if (configuration.isEmpty()) {
                return Outcome.SKIPPED;
            }
            Observation observation;
            try {
                observation = observe(repository, configuration.get());
            } catch (RuntimeException e) {
                if (!(BitbucketClient.unavailable(e) || e instanceof BitbucketRefusedException)) {
                    throw e;
                }
                LOG.warnf("Reconciliation of %s (%s) could not ask Bitbucket, trying again in %s: %s",
                        repository.fullName(), repository.provider().id(), configuration.get().reconcile().interval(),
                        e.getMessage());
                QuarkusTransaction.requiringNew().run(() -> failed(claim, e.getMessage()));
                return Outcome.FAILED;
            }
            return QuarkusTransaction.requiringNew().call(() -> apply(claim, observation));
        } catch (RuntimeException e) {
            // a database outage, a defect: the claim expires and the run is tried again
            LOG.errorf(e, "Reconciliation of %s (%s) failed", repository.fullName(), repository.provider().id());
            return Outcome.FAILED;
        }
    }

    /** Asks Bitbucket for what the configuration's triggers look at. */
    private Observation observe(RepositoryRef repository, RepositoryConfiguration configuration) {
        String trunk = configuration.trunkBranch() == null ? RepositoryConfiguration.DEFAULT_TRUNK_BRANCH
                : configuration.trunkBranch();
        String pattern = configuration.releaseTagPattern() == null ? RepositoryConfiguration.DEFAULT_RELEASE_TAG_PATTERN
                : configuration.releaseTagPattern();
        boolean trunkTrigger = hasTrigger(configuration, EnvironmentConfiguration.TRIGGER_TRUNK);
        boolean tagTrigger = hasTrigger(configuration, EnvironmentConfiguration.TRIGGER_RELEASE_TAG);
        boolean pullRequestTrigger = hasTrigger(configuration, EnvironmentConfiguration.TRIGGER_PULL_REQUEST);
        String scope = (trunkTrigger ? "trunk:" + trunk : "") + "|" + (tagTrigger ? "tags:" + pattern : "") + "|"
                + (pullRequestTrigger ? "pull-requests" : "");

        String head = trunkTrigger ? bitbucket.branch(repository, trunk).map(RemoteRef::commit).orElse(null) : null;
        Map<String, String> tags = new LinkedHashMap<>();
        if (tagTrigger) {
            String prefix = literalPrefix(pattern);
            Integer cursor = null;
            int pages = 0;
            do {
                RemotePage<RemoteRef> page = bitbucket.tags(repository, prefix, cursor);
                page.values().stream().filter(tag -> GlobPattern.matches(pattern, tag.name()))
                        .forEach(tag -> tags.put(tag.name(), tag.commit()));
                cursor = page.next();
            } while (cursor != null && ++pages < MAX_PAGES);
        }
        List<RemotePullRequest> pullRequests = new ArrayList<>();
        List<ClosedPullRequest> closed = new ArrayList<>();
        if (pullRequestTrigger) {
            Integer cursor = null;
            Set<Long> listed = new HashSet<>();
            int pages = 0;
            do {
                RemotePage<RemotePullRequest> page = bitbucket.openPullRequests(repository, cursor);
                page.values().forEach(pr -> listed.add(pr.id()));
                page.values().stream().filter(pr -> pr.sourceCommit() != null && !pr.sourceCommit().isBlank())
                        .forEach(pullRequests::add);
                cursor = page.next();
            } while (cursor != null && ++pages < MAX_PAGES);
            if (cursor == null) { // the whole list was read: a preview's pull request missing from it may have ended
                for (long id : previewedPullRequests(repository)) {
                    if (!listed.contains(id)) {
                        bitbucket.closedPullRequest(repository, id).ifPresent(closed::add);
                    }
                }
            }
        }
        return new Observation(scope, trunk, head, tags, pullRequests, closed);
    }

    /** The pull requests that have an open preview. */
    private List<Long> previewedPullRequests(RepositoryRef repository) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createQuery("""
                        SELECT DISTINCT p.pullRequestId FROM PreviewEntity p WHERE p.provider = ?1 AND p.workspace = ?2
                           AND p.slug = ?3 AND p.closedAt IS NULL ORDER BY p.pullRequestId""", Long.class)
                .setParameter(1, repository.provider().id())
                .setParameter(2, repository.workspace())
                .setParameter(3, repository.slug())
                .getResultList());
    }

    /** What the last run saw of a ref or pull request; {@code baseline}: there since the baseline run, never raised. */
    record Seen(String commit, boolean baseline) {
    }

    /** Records what was seen and raises what was missed, unless this instance lost its claim. */
    private Outcome apply(Claim claim, Observation observation) {
        RepositoryRef repository = claim.repository();
        @SuppressWarnings("unchecked")
        List<Object[]> state = entityManager.createNativeQuery("""
                SELECT scope, generation, baseline_at, claimed_by FROM reconcile_state
                 WHERE provider = ?1 AND workspace = ?2 AND slug = ?3 FOR UPDATE""")
                .setParameter(1, repository.provider().id())
                .setParameter(2, repository.workspace())
                .setParameter(3, repository.slug())
                .getResultList();
        if (state.isEmpty() || !claim.token().equals(state.get(0)[3])) {
            LOG.infof("Reconciliation of %s (%s): another instance took the run over", repository.fullName(),
                    repository.provider().id());
            return Outcome.SKIPPED;
        }
        String scope = (String) state.get(0)[0];
        long generation = ((Number) state.get(0)[1]).longValue();
        boolean baseline = state.get(0)[2] == null || !observation.scope().equals(scope);
        Map<String, Seen> seen = seen(repository);
        Map<String, String> now = new LinkedHashMap<>();
        if (observation.trunkHead() != null) {
            now.put(key(RefKind.BRANCH, observation.trunkBranch()), observation.trunkHead());
        }
        observation.tags().forEach((name, commit) -> now.put(key(RefKind.TAG, name), commit));
        observation.pullRequests().forEach(pr -> now.put(key(RefKind.PULL_REQUEST, Long.toString(pr.id())), pr.sourceCommit()));

        List<TrunklineEvent> missed = new ArrayList<>();
        if (baseline) {
            LOG.infof("Reconciliation of %s (%s): baseline recorded (trunk head %s, %d release tag(s), %d open pull "
                    + "request(s)), nothing raised", repository.fullName(), repository.provider().id(),
                    observation.trunkHead() == null ? "none" : Commits.shortened(observation.trunkHead()),
                    observation.tags().size(), observation.pullRequests().size());
        } else {
            Instant at = Instant.now();
            if (observation.trunkHead() != null) {
                missedPush(repository, generation, RefType.BRANCH, observation.trunkBranch(), observation.trunkHead(),
                        seen, at).ifPresent(missed::add);
            }
            observation.tags().forEach((name, commit) ->
                    missedPush(repository, generation, RefType.TAG, name, commit, seen, at).ifPresent(missed::add));
            RepositoryConfiguration configuration = configurations.get(repository).orElseThrow().configuration();
            for (RemotePullRequest pullRequest : observation.pullRequests()) {
                missedPullRequest(repository, configuration, generation, pullRequest, seen, at).ifPresent(missed::add);
            }
            for (ClosedPullRequest pullRequest : observation.closed()) {
                missed.add(missedClosure(repository, generation, pullRequest, at));
            }
            for (TrunklineEvent event : missed) {
                outbox.append(Topics.SCM_EVENTS, event);
            }
        }
        entityManager.createNativeQuery("DELETE FROM reconcile_ref WHERE provider = ?1 AND workspace = ?2 AND slug = ?3")
                .setParameter(1, repository.provider().id())
                .setParameter(2, repository.workspace())
                .setParameter(3, repository.slug())
                .executeUpdate();
        for (Map.Entry<String, String> entry : now.entrySet()) {
            int colon = entry.getKey().indexOf(':');
            Seen before = seen.get(entry.getKey());
            boolean sinceBaseline = baseline
                    || (before != null && before.baseline() && before.commit().equals(entry.getValue()));
            entityManager.createNativeQuery("""
                    INSERT INTO reconcile_ref (provider, workspace, slug, kind, name, commit_hash, baseline)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                    .setParameter(1, repository.provider().id())
                    .setParameter(2, repository.workspace())
                    .setParameter(3, repository.slug())
                    .setParameter(4, entry.getKey().substring(0, colon))
                    .setParameter(5, entry.getKey().substring(colon + 1))
                    .setParameter(6, entry.getValue())
                    .setParameter(7, sinceBaseline)
                    .executeUpdate();
        }
        entityManager.createNativeQuery("""
                UPDATE reconcile_state SET scope = ?4, generation = generation + 1,
                       baseline_at = CASE WHEN ?5 THEN clock_timestamp() ELSE baseline_at END,
                       last_run_at = clock_timestamp(), last_failure = NULL, claimed_by = NULL, claimed_until = NULL
                 WHERE provider = ?1 AND workspace = ?2 AND slug = ?3""")
                .setParameter(1, repository.provider().id())
                .setParameter(2, repository.workspace())
                .setParameter(3, repository.slug())
                .setParameter(4, observation.scope())
                .setParameter(5, baseline)
                .executeUpdate();
        if (!baseline) {
            LOG.debugf("Reconciliation of %s (%s): %d missed event(s) raised", repository.fullName(),
                    repository.provider().id(), missed.size());
        }
        return baseline ? Outcome.BASELINE : Outcome.RECONCILED;
    }

    /**
     * The push a webhook should have reported for a branch or tag Bitbucket shows at {@code commit}: none when
     * this service already knows the ref there (a webhook, or an earlier run's event, got through) or it has
     * been there since the baseline. It starts from the head this service knows, else from what the last run
     * saw. A ref this service still knows elsewhere after an earlier run raised it (the event not consumed yet,
     * or a late webhook of an older change applied since) is raised again: the consumer finds the duplicate.
     */
    private Optional<RefsPushed> missedPush(RepositoryRef repository, long generation, RefType type, String name,
            String commit, Map<String, Seen> seen, Instant at) {
        RefKind kind = type == RefType.TAG ? RefKind.TAG : RefKind.BRANCH;
        Seen last = seen.get(key(kind, name));
        String lastSeen = last == null ? null : last.commit();
        Optional<RefHeadEntity> head = RefHeadEntity.find(repository, type, name);
        if ((last != null && last.baseline() && commit.equals(lastSeen))
                || head.filter(known -> commit.equals(known.headCommit)).isPresent()) {
            return Optional.empty();
        }
        String from = head.isPresent() ? head.get().headCommit : lastSeen;
        LOG.infof("Reconciliation of %s (%s): %s %s is at %s, which no webhook reported (last known at %s): raising the push",
                repository.fullName(), repository.provider().id(), kind.label, name, Commits.shortened(commit),
                from == null ? "none" : Commits.shortened(from));
        RefChange change = new RefChange(type, name, from, commit, false);
        UUID eventId = eventId(repository, generation, kind.label + ":" + name + ":" + from + ":" + commit);
        return Optional.of(new RefsPushed(eventId, at, repository, List.of(change), ACTOR, deliveryId(generation)));
    }

    /**
     * The pull-request change a webhook should have reported for an open pull request at {@code sourceCommit}:
     * none when the last run saw it there or one of its previews already has that head commit.
     */
    private Optional<PullRequestChanged> missedPullRequest(RepositoryRef repository, RepositoryConfiguration configuration,
            long generation, RemotePullRequest pullRequest, Map<String, Seen> seen, Instant at) {
        String commit = pullRequest.sourceCommit();
        Seen last = seen.get(key(RefKind.PULL_REQUEST, Long.toString(pullRequest.id())));
        String lastSeen = last == null ? null : last.commit();
        if (commit.equals(lastSeen)) {
            return Optional.empty();
        }
        boolean previewed = false;
        for (EnvironmentConfiguration environment : configuration.environments()) {
            if (!environment.previews()) {
                continue;
            }
            Optional<PreviewEntity> preview = PreviewEntity.findByIdOptional(new PreviewEntity.Key(
                    repository.provider().id(), repository.workspace(), repository.slug(),
                    PreviewEnvironments.name(environment.name(), pullRequest.id())));
            if (preview.filter(PreviewEntity::open).filter(known -> known.headCommit.startsWith(commit)).isPresent()) {
                return Optional.empty();
            }
            previewed |= preview.isPresent();
        }
        PullRequestAction action = lastSeen == null && !previewed ? PullRequestAction.OPENED : PullRequestAction.UPDATED;
        LOG.infof("Reconciliation of %s (%s): pull request #%d is open at %s, which no webhook reported: raising it %s",
                repository.fullName(), repository.provider().id(), pullRequest.id(), Commits.shortened(commit),
                action.name().toLowerCase(java.util.Locale.ROOT));
        UUID eventId = eventId(repository, generation, "pull-request:" + pullRequest.id() + ":" + commit);
        return Optional.of(new PullRequestChanged(eventId, at, repository, pullRequest.id(), action,
                pullRequest.sourceBranch(), commit, pullRequest.targetBranch(), pullRequest.fromFork(),
                pullRequest.title(), ACTOR, deliveryId(generation), pullRequest.sourceRepository(),
                commit.length() < 40, pullRequest.author()));
    }

    /**
     * The change a webhook should have reported for a pull request that ended while it had an open preview: merged,
     * or declined (superseded and deleted ones too). Its details come from Bitbucket, else (deleted) from the preview.
     */
    private PullRequestChanged missedClosure(RepositoryRef repository, long generation, ClosedPullRequest closed,
            Instant at) {
        RemotePullRequest pullRequest = closed.pullRequest();
        PreviewEntity preview = entityManager.createQuery("""
                        SELECT p FROM PreviewEntity p WHERE p.provider = ?1 AND p.workspace = ?2 AND p.slug = ?3
                           AND p.pullRequestId = ?4 ORDER BY p.lastCommitAt DESC""", PreviewEntity.class)
                .setParameter(1, repository.provider().id())
                .setParameter(2, repository.workspace())
                .setParameter(3, repository.slug())
                .setParameter(4, closed.id())
                .setMaxResults(1)
                .getResultStream().findFirst().orElse(null);
        String commit = pullRequest != null && pullRequest.sourceCommit() != null ? pullRequest.sourceCommit()
                : preview == null ? null : preview.headCommit;
        String branch = pullRequest != null ? pullRequest.sourceBranch() : preview == null ? null : preview.sourceBranch;
        LOG.infof("Reconciliation of %s (%s): pull request #%d was %s%s, which no webhook reported: raising it",
                repository.fullName(), repository.provider().id(), closed.id(),
                closed.action().name().toLowerCase(java.util.Locale.ROOT),
                pullRequest == null ? " (Bitbucket knows it no more)" : "");
        UUID eventId = eventId(repository, generation, "pull-request:" + closed.id() + ":" + closed.action());
        return new PullRequestChanged(eventId, at, repository, closed.id(), closed.action(), branch, commit,
                pullRequest == null ? null : pullRequest.targetBranch(), pullRequest != null && pullRequest.fromFork(),
                pullRequest == null ? null : pullRequest.title(), ACTOR, deliveryId(generation),
                pullRequest == null ? repository : pullRequest.sourceRepository(),
                commit != null && commit.length() < 40, pullRequest == null ? null : pullRequest.author());
    }

    private void failed(Claim claim, String failure) {
        RepositoryRef repository = claim.repository();
        entityManager.createNativeQuery("""
                UPDATE reconcile_state SET last_run_at = clock_timestamp(), last_failure = ?5,
                       claimed_by = NULL, claimed_until = NULL
                 WHERE provider = ?1 AND workspace = ?2 AND slug = ?3 AND claimed_by = ?4""")
                .setParameter(1, repository.provider().id())
                .setParameter(2, repository.workspace())
                .setParameter(3, repository.slug())
                .setParameter(4, claim.token())
                .setParameter(5, failure == null ? "unknown" : failure)
                .executeUpdate();
    }

    /** What the last run saw, keyed {@code KIND:name}. */
    @SuppressWarnings("unchecked")
    private Map<String, Seen> seen(RepositoryRef repository) {
        Map<String, Seen> seen = new HashMap<>();
        List<Object[]> rows = entityManager.createNativeQuery("""
                SELECT kind, name, commit_hash, baseline FROM reconcile_ref
                 WHERE provider = ?1 AND workspace = ?2 AND slug = ?3""")
                .setParameter(1, repository.provider().id())
                .setParameter(2, repository.workspace())
                .setParameter(3, repository.slug())
                .getResultList();
        for (Object[] row : rows) {
            seen.put(row[0] + ":" + row[1], new Seen((String) row[2], Boolean.TRUE.equals(row[3])));
        }
        return seen;
    }

    /**
     * The id of an event raised by run {@code generation} of the repository for {@code what} it saw: the same
     * run raising the same thing again (another instance whose claim had expired) gives the same id.
     */
    static UUID eventId(RepositoryRef repository, long generation, String what) {
        return UUID.nameUUIDFromBytes(("trunkline.reconciliation/" + repository.key() + "/" + generation + "/" + what)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String deliveryId(long generation) {
        return "reconciliation-" + generation;
    }

    private static String key(RefKind kind, String name) {
        return kind.name() + ":" + name;
    }

    /** The text of a tag pattern before its first wildcard: what Bitbucket is asked to filter by. */
    static String literalPrefix(String pattern) {
        int end = pattern.length();
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '*' || pattern.charAt(i) == '?') {
                end = i;
                break;
            }
        }
        return pattern.substring(0, end);
    }

    private static boolean hasTrigger(RepositoryConfiguration configuration, String trigger) {
        return configuration.environments() != null
                && configuration.environments().stream().anyMatch(environment -> trigger.equals(environment.trigger()));
    }

    private enum RefKind {
        BRANCH("branch"), TAG("tag"), PULL_REQUEST("pull request");

        final String label;

        RefKind(String label) {
            this.label = label;
        }
    }
}
