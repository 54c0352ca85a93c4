package io.trunkline.ingest.rest;

/** The webhook's path, shared by the resource's filter and its problem bodies. */
final class BitbucketWebhookPaths {

    static final String WEBHOOK = "/webhooks/bitbucket";

    private BitbucketWebhookPaths() {
    }
}
