package io.trunkline.ingest.service;

import io.trunkline.events.PullRequestAction;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Bitbucket Data Center: {@code repo:refs_changed} (one event per branch or tag added, updated or
 * deleted; a creation has a {@code fromHash} of forty zeros, a deletion a {@code toHash} of forty
 * zeros), {@code pr:opened}, {@code pr:from_ref_updated}, {@code pr:merged}, {@code pr:declined} and
 * {@code pr:deleted} (declined: closed unmerged). {@code diagnostics:ping}, the "Test connection"
 * button, needs no action. The repository is {@code projectKey/slug}.
 */
@ApplicationScoped
public class BitbucketDataCenterNormaliser implements ProviderNormaliser {

    public static final String REFS_CHANGED = "repo:refs_changed";
    public static final String PING = "diagnostics:ping";

    static final Map<String, PullRequestAction> PULL_REQUEST_ACTIONS = Map.of(
            "pr:opened", PullRequestAction.OPENED,
            "pr:from_ref_updated", PullRequestAction.UPDATED,
            "pr:merged", PullRequestAction.MERGED,
            "pr:declined", PullRequestAction.DECLINED,
            "pr:deleted", PullRequestAction.DECLINED);

    private static final String NO_COMMIT = "0".repeat(40);
    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final String TAG_PREFIX = "refs/tags/";
    private static final List<String> REPOSITORY = List.of("repository");
    private static final List<String> PULL_REQUEST_REPOSITORY = List.of("pullRequest", "toRef", "repository");

    @Override
    public ScmProvider provider() {
        return ScmProvider.BITBUCKET_DATA_CENTER;
    }

    @Override
    public boolean knows(String eventKey) {
        return eventKey != null && (REFS_CHANGED.equals(eventKey) || PING.equals(eventKey)
                || PULL_REQUEST_ACTIONS.containsKey(eventKey));
    }

    @Override
    public Optional<String> repositoryName(String eventKey, UnverifiedBody body) {
        List<String> repository = eventKey != null && eventKey.startsWith("pr:") ? PULL_REQUEST_REPOSITORY : REPOSITORY;
        List<String> key = append(append(repository, "project"), "key");
        List<String> slug = append(repository, "slug");
        Map<List<String>, String> found = body.strings(List.of(key, slug));
        if (!found.containsKey(key) || !found.containsKey(slug)) {
            return Optional.empty();
        }
        return Optional.of(found.get(key) + "/" + found.get(slug));
    }

    @Override
    public NormalisedDelivery normalise(WebhookDelivery delivery, Instant receivedAt) {
        String eventKey = delivery.eventKey();
        if (PING.equals(eventKey)) {
            return NormalisedDelivery.ignored("diagnostics:ping: the connection works");
        }
        Payload body = Payload.of(delivery.body());
        String bodyKey = body.text("eventKey");
        if (bodyKey != null && !bodyKey.equals(eventKey)) {
            throw new InvalidPayloadException("eventKey does not match the X-Event-Key header");
        }
        if (REFS_CHANGED.equals(eventKey)) {
            return refsChanged(delivery, body, receivedAt);
        }
        PullRequestAction action = PULL_REQUEST_ACTIONS.get(eventKey);
        if (action != null) {
            return pullRequest(delivery, body, action, receivedAt);
        }
        return NormalisedDelivery.ignored(EventKeys.describe(eventKey) + " needs no action");
    }

    static RepositoryRef repository(Payload repository) {
        String projectKey = repository.requiredObject("project").requiredText("key");
        String slug = repository.requiredText("slug");
        if (projectKey.indexOf('/') >= 0 || slug.indexOf('/') >= 0) {
            throw new InvalidPayloadException(repository.path() + " must have a project key and a slug without '/'");
        }
        return new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, projectKey, slug);
    }

    private static NormalisedDelivery refsChanged(WebhookDelivery delivery, Payload body, Instant receivedAt) {
        RepositoryRef repository = repository(body.requiredObject("repository"));
        String actor = body.object("actor").text("displayName");
        List<RefsPushed> events = new ArrayList<>();
        for (Payload change : body.requiredObjects("changes")) {
            refChange(change).ifPresent(refChange -> events.add(new RefsPushed(
                    EventIds.of(delivery.deliveryId(), refChange.refType(), refChange.refName()), receivedAt,
                    repository, List.of(refChange), actor, delivery.deliveryIdHeader())));
        }
        if (events.isEmpty()) {
            return NormalisedDelivery.ignored("the push changed no branch or tag");
        }
        return NormalisedDelivery.of(delivery.deliveryId(), events);
    }

    /** Empty for a ref that is neither a branch nor a tag (refs/notes/..., ...). */
    private static Optional<RefChange> refChange(Payload change) {
        Payload ref = change.object("ref");
        String refId = ref.present() ? ref.requiredText("id") : change.requiredText("refId");
        String field = ref.present() ? ref.pathOf("id") : change.pathOf("refId");
        RefType type;
        String name;
        if (refId.startsWith(BRANCH_PREFIX)) {
            type = RefType.BRANCH;
            name = refId.substring(BRANCH_PREFIX.length());
        } else if (refId.startsWith(TAG_PREFIX)) {
            type = RefType.TAG;
            name = refId.substring(TAG_PREFIX.length());
        } else {
            return Optional.empty();
        }
        RefNames.check(name, field);
        String oldCommit = commitOrNone(change, "fromHash");
        String newCommit = commitOrNone(change, "toHash");
        if (oldCommit == null && newCommit == null) {
            throw new InvalidPayloadException(change.path() + " has neither a fromHash nor a toHash");
        }
        return Optional.of(new RefChange(type, name, oldCommit, newCommit, false));
    }

    /** Null for forty zeros: the ref did not exist before (fromHash) or does not any more (toHash). */
    private static String commitOrNone(Payload change, String field) {
        String hash = Commits.full(change.requiredText(field), change.pathOf(field));
        return NO_COMMIT.equals(hash) ? null : hash;
    }

    private static NormalisedDelivery pullRequest(WebhookDelivery delivery, Payload body, PullRequestAction action,
            Instant receivedAt) {
        Payload pullRequest = body.requiredObject("pullRequest");
        long id = pullRequest.requiredNumber("id");
        Payload fromRef = pullRequest.requiredObject("fromRef");
        Payload toRef = pullRequest.requiredObject("toRef");
        Payload destinationPayload = toRef.requiredObject("repository");
        RepositoryRef repository = repository(destinationPayload);
        Payload sourcePayload = fromRef.object("repository");
        RepositoryRef sourceRepository = sourcePayload.present() ? repository(sourcePayload) : null;
        String commit = fromRef.text("latestCommit");
        if (commit != null) {
            commit = Commits.fullOrAbbreviated(commit, fromRef.pathOf("latestCommit"));
        } else if (action == PullRequestAction.OPENED || action == PullRequestAction.UPDATED) {
            throw new InvalidPayloadException(fromRef.pathOf("latestCommit") + " is missing");
        }
        boolean fromFork = sourceRepository == null
                || isFork(sourcePayload, sourceRepository, destinationPayload, repository);
        return NormalisedDelivery.of(delivery.deliveryId(), List.of(new PullRequestChanged(
                EventIds.of(delivery.deliveryId()), receivedAt, repository, id, action, branchName(fromRef), commit,
                branchName(toRef), fromFork, pullRequest.text("title"), body.object("actor").text("displayName"),
                delivery.deliveryIdHeader(), sourceRepository, commit != null && Commits.isAbbreviated(commit),
                pullRequest.object("author").object("user").text("displayName"))));
    }

    private static String branchName(Payload ref) {
        String id = ref.text("id");
        if (id != null && id.startsWith(BRANCH_PREFIX)) {
            return RefNames.check(id.substring(BRANCH_PREFIX.length()), ref.pathOf("id"));
        }
        return RefNames.check(ref.requiredText("displayId"), ref.pathOf("displayId"));
    }

    /** Repository ids decide where both have one; otherwise project key and slug (a fork in ~USER keeps the slug). */
    private static boolean isFork(Payload sourcePayload, RepositoryRef source, Payload destinationPayload,
            RepositoryRef destination) {
        Long sourceId = sourcePayload.number("id");
        Long destinationId = destinationPayload.number("id");
        if (sourceId != null && destinationId != null) {
            return !Objects.equals(sourceId, destinationId);
        }
        return !source.fullName().equalsIgnoreCase(destination.fullName());
    }

    private static List<String> append(List<String> path, String field) {
        List<String> longer = new ArrayList<>(path);
        longer.add(field);
        return List.copyOf(longer);
    }
}
