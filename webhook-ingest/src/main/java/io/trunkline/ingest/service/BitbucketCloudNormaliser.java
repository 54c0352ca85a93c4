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
import java.util.Optional;

/**
 * Bitbucket Cloud: {@code repo:push} (one event per branch or tag created, moved or deleted) and
 * {@code pullrequest:created}, {@code :updated}, {@code :fulfilled} (merged), {@code :rejected}
 * (declined). Pull-request payloads carry 12-character commit hashes, passed on marked as abbreviated.
 */
@ApplicationScoped
public class BitbucketCloudNormaliser implements ProviderNormaliser {

    public static final String REPO_PUSH = "repo:push";

    static final Map<String, PullRequestAction> PULL_REQUEST_ACTIONS = Map.of(
            "pullrequest:created", PullRequestAction.OPENED,
            "pullrequest:updated", PullRequestAction.UPDATED,
            "pullrequest:fulfilled", PullRequestAction.MERGED,
            "pullrequest:rejected", PullRequestAction.DECLINED);

    private static final List<String> FULL_NAME = List.of("repository", "full_name");

    @Override
    public ScmProvider provider() {
        return ScmProvider.BITBUCKET_CLOUD;
    }

    @Override
    public boolean knows(String eventKey) {
        return eventKey != null && (REPO_PUSH.equals(eventKey) || PULL_REQUEST_ACTIONS.containsKey(eventKey));
    }

    @Override
    public Optional<String> repositoryName(String eventKey, UnverifiedBody body) {
        return body.string(FULL_NAME);
    }

    @Override
    public NormalisedDelivery normalise(WebhookDelivery delivery, Instant receivedAt) {
        if (REPO_PUSH.equals(delivery.eventKey())) {
            return push(delivery, receivedAt);
        }
        PullRequestAction action = PULL_REQUEST_ACTIONS.get(delivery.eventKey());
        if (action != null) {
            return pullRequest(delivery, action, receivedAt);
        }
        return NormalisedDelivery.ignored(EventKeys.describe(delivery.eventKey()) + " needs no action");
    }

    static RepositoryRef repository(Payload repository) {
        String fullName = repository.requiredText("full_name");
        int slash = fullName.indexOf('/');
        if (slash <= 0 || slash == fullName.length() - 1 || fullName.indexOf('/', slash + 1) >= 0) {
            throw new InvalidPayloadException(repository.pathOf("full_name") + " must be 'workspace/slug'");
        }
        return new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, fullName.substring(0, slash), fullName.substring(slash + 1));
    }

    private static NormalisedDelivery push(WebhookDelivery delivery, Instant receivedAt) {
        Payload body = Payload.of(delivery.body());
        RepositoryRef repository = repository(body.requiredObject("repository"));
        String actor = body.object("actor").text("display_name");
        List<RefsPushed> events = new ArrayList<>();
        for (Payload change : body.requiredObject("push").requiredObjects("changes")) {
            refChange(change).ifPresent(refChange -> events.add(new RefsPushed(
                    EventIds.of(delivery.deliveryId(), refChange.refType(), refChange.refName()), receivedAt,
                    repository, List.of(refChange), actor, delivery.deliveryIdHeader())));
        }
        if (events.isEmpty()) {
            return NormalisedDelivery.ignored("the push changed no branch or tag");
        }
        return NormalisedDelivery.of(delivery.deliveryId(), events);
    }

    /** Empty for a ref that is neither a branch nor a tag. */
    private static Optional<RefChange> refChange(Payload change) {
        Payload oldRef = change.object("old");
        Payload newRef = change.object("new");
        Payload ref = newRef.present() ? newRef : oldRef;
        if (!ref.present()) {
            throw new InvalidPayloadException(change.path() + " has neither 'old' nor 'new'");
        }
        RefType type;
        switch (ref.requiredText("type")) {
            case "branch", "named_branch" -> type = RefType.BRANCH;
            case "tag", "annotated_tag" -> type = RefType.TAG;
            default -> {
                return Optional.empty();
            }
        }
        String name = RefNames.check(ref.requiredText("name"), ref.pathOf("name"));
        return Optional.of(new RefChange(type, name, commitOf(oldRef), commitOf(newRef), change.bool("forced", false)));
    }

    private static String commitOf(Payload ref) {
        if (!ref.present()) {
            return null;
        }
        return Commits.full(ref.requiredObject("target").requiredText("hash"), ref.pathOf("target.hash"));
    }

    private static NormalisedDelivery pullRequest(WebhookDelivery delivery, PullRequestAction action,
            Instant receivedAt) {
        Payload body = Payload.of(delivery.body());
        RepositoryRef repository = repository(body.requiredObject("repository"));
        Payload pullRequest = body.requiredObject("pullrequest");
        long id = pullRequest.requiredNumber("id");
        Payload source = pullRequest.requiredObject("source");
        Payload destination = pullRequest.requiredObject("destination");
        Payload destinationRepository = destination.object("repository");
        if (destinationRepository.present() && !repository(destinationRepository).equals(repository)) {
            throw new InvalidPayloadException(destinationRepository.path() + " is not the delivery's repository");
        }
        Payload sourceRepositoryPayload = source.object("repository");
        RepositoryRef sourceRepository = sourceRepositoryPayload.present() ? repository(sourceRepositoryPayload) : null;
        String sourceBranch = branchName(source);
        String targetBranch = branchName(destination);
        String commit = source.object("commit").text("hash");
        if (commit != null) {
            commit = Commits.fullOrAbbreviated(commit, source.pathOf("commit.hash"));
        } else if (action == PullRequestAction.OPENED || action == PullRequestAction.UPDATED) {
            throw new InvalidPayloadException(source.pathOf("commit.hash") + " is missing");
        }
        boolean fromFork = sourceRepository == null
                || isFork(sourceRepositoryPayload, sourceRepository, destinationRepository, repository);
        return NormalisedDelivery.of(delivery.deliveryId(), List.of(new PullRequestChanged(
                EventIds.of(delivery.deliveryId()), receivedAt, repository, id, action, sourceBranch, commit,
                targetBranch, fromFork, pullRequest.text("title"), body.object("actor").text("display_name"),
                delivery.deliveryIdHeader(), sourceRepository, commit != null && Commits.isAbbreviated(commit),
                pullRequest.object("author").text("display_name"))));
    }

    private static String branchName(Payload side) {
        Payload branch = side.requiredObject("branch");
        return RefNames.check(branch.requiredText("name"), branch.pathOf("name"));
    }

    /**
     * The repositories' UUIDs decide where both have one: a fork keeps its name's slug, so a fork
     * {@code alice/shop} of {@code acme/shop} differs only by workspace. Otherwise the full names do.
     */
    private static boolean isFork(Payload sourceRepositoryPayload, RepositoryRef sourceRepository,
            Payload destinationRepository, RepositoryRef repository) {
        String sourceUuid = sourceRepositoryPayload.text("uuid");
        String destinationUuid = destinationRepository.present() ? destinationRepository.text("uuid") : null;
        if (sourceUuid != null && destinationUuid != null) {
            return !sourceUuid.equalsIgnoreCase(destinationUuid);
        }
        return !sourceRepository.fullName().equalsIgnoreCase(repository.fullName());
    }
}
