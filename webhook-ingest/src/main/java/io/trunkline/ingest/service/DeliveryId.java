package io.trunkline.ingest.service;

import io.trunkline.events.ScmProvider;
import java.util.Optional;

/**
 * What Bitbucket calls one delivery, the same on each of its retries: {@code X-Request-UUID} on
 * Bitbucket Cloud, {@code X-Request-Id} on Data Center.
 */
public record DeliveryId(ScmProvider provider, String value) {

    /** Empty when the delivery came without an id (a hand-made request, a proxy that dropped the header). */
    public static Optional<DeliveryId> of(ScmProvider provider, String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new DeliveryId(provider, header.trim()));
    }
}
