package io.trunkline.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which Bitbucket product sent a delivery, told from its headers only: an event key that only one of
 * them sends and we act on; else the delivery-id header (Cloud {@code X-Request-UUID} or
 * {@code X-Hook-UUID}, Data Center {@code X-Request-Id}); else the shape of the event key
 * (Data Center's {@code pr:...}, {@code repo:comment:added}, ...). Cloud when nothing tells.
 */
@ApplicationScoped
public class Normalisers {

    private final BitbucketCloudNormaliser cloud;
    private final BitbucketDataCenterNormaliser dataCenter;

    public Normalisers(BitbucketCloudNormaliser cloud, BitbucketDataCenterNormaliser dataCenter) {
        this.cloud = cloud;
        this.dataCenter = dataCenter;
    }

    public ProviderNormaliser of(DeliveryHeaders headers) {
        String eventKey = headers.eventKey();
        if (cloud.knows(eventKey)) {
            return cloud;
        }
        if (dataCenter.knows(eventKey)) {
            return dataCenter;
        }
        if (present(headers.requestUuid()) || present(headers.hookUuid())) {
            return cloud;
        }
        if (present(headers.requestId()) || looksLikeDataCenter(eventKey)) {
            return dataCenter;
        }
        return cloud;
    }

    /** Whether either provider acts on (or answers) {@code eventKey}. */
    public boolean known(String eventKey) {
        return cloud.knows(eventKey) || dataCenter.knows(eventKey);
    }

    private static boolean looksLikeDataCenter(String eventKey) {
        return eventKey != null && (eventKey.startsWith("pr:") || eventKey.startsWith("mirror:")
                || eventKey.startsWith("project:") || eventKey.chars().filter(c -> c == ':').count() > 1);
    }

    private static boolean present(String header) {
        return header != null && !header.isBlank();
    }
}
