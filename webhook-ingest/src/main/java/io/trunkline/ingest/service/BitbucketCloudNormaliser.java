package io.trunkline.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns Bitbucket Cloud deliveries into Trunkline events. Pure: no I/O. */
public final class BitbucketCloudNormaliser {

    public static final String REPO_PUSH = "repo:push";

    private BitbucketCloudNormaliser() {
    }

    public static NormalisedDelivery normalise(WebhookDelivery delivery, Instant receivedAt) {
        if (REPO_PUSH.equals(delivery.eventKey())) {
            return push(delivery, receivedAt);
        }
        return NormalisedDelivery.ignored("event key '" + delivery.eventKey() + "' needs no action");
    }

    static RepositoryRef repository(JsonNode body) {
        String fullName = text(body.path("repository"), "full_name");
        int slash = fullName == null ? -1 : fullName.indexOf('/');
        if (slash <= 0 || slash == fullName.length() - 1) {
            throw new InvalidPayloadException("repository.full_name must be 'workspace/slug'");
        }
        return new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, fullName.substring(0, slash), fullName.substring(slash + 1));
    }

    private static NormalisedDelivery push(WebhookDelivery delivery, Instant receivedAt) {
        JsonNode body = delivery.body();
        RepositoryRef repository = repository(body);
        JsonNode changes = body.path("push").path("changes");
        if (!changes.isArray()) {
            throw new InvalidPayloadException("push.changes must be an array");
        }
        List<RefChange> refChanges = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            refChanges.add(refChange(changes.get(i), i));
        }
        if (refChanges.isEmpty()) {
            return NormalisedDelivery.ignored("the push changed no ref");
        }
        String actor = text(body.path("actor"), "display_name");
        Optional<DeliveryId> deliveryId = DeliveryId.of(ScmProvider.BITBUCKET_CLOUD, delivery.deliveryId());
        return NormalisedDelivery.of(deliveryId, new RefsPushed(EventIds.of(deliveryId), receivedAt,
                repository, refChanges, actor, delivery.deliveryId()));
    }

    private static RefChange refChange(JsonNode change, int index) {
        JsonNode oldRef = change.path("old");
        JsonNode newRef = change.path("new");
        JsonNode ref = newRef.isObject() ? newRef : oldRef;
        if (!ref.isObject()) {
            throw new InvalidPayloadException("push.changes[" + index + "] has neither 'old' nor 'new'");
        }
        String name = text(ref, "name");
        RefType type = switch (String.valueOf(text(ref, "type"))) {
            case "branch", "named_branch" -> RefType.BRANCH;
            case "tag", "annotated_tag" -> RefType.TAG;
            default -> throw new InvalidPayloadException("push.changes[" + index + "] has unknown ref type '"
                    + text(ref, "type") + "'");
        };
        if (name == null || name.isBlank()) {
            throw new InvalidPayloadException("push.changes[" + index + "] has no ref name");
        }
        return new RefChange(type, name, commitOf(oldRef, index, "old"), commitOf(newRef, index, "new"),
                change.path("forced").asBoolean(false));
    }

    private static String commitOf(JsonNode ref, int index, String side) {
        if (!ref.isObject()) {
            return null;
        }
        String hash = text(ref.path("target"), "hash");
        if (hash == null || !hash.matches("[0-9a-f]{40}")) {
            throw new InvalidPayloadException("push.changes[" + index + "]." + side
                    + ".target.hash must be a 40-character commit hash");
        }
        return hash;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
