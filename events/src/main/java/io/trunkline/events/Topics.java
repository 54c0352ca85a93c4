package io.trunkline.events;

/**
 * The Kafka topics the services talk through. Each has a dead-letter topic named
 * {@code <topic>.dlq} for records a consumer could not process.
 */
public final class Topics {

    /** Normalised Bitbucket events; key: {@link RepositoryRef#key()}. Produced by webhook-ingest. */
    public static final String SCM_EVENTS = "trunkline.scm-events";

    /** What to deploy where; key: repository + environment. Produced by promotion-service. */
    public static final String DEPLOY_REQUESTS = "trunkline.deploy-requests";

    /** Every state a deployment enters; key: repository + environment. Produced by promotion- and deploy-service. */
    public static final String DEPLOYMENT_STATUS = "trunkline.deployment-status";

    /**
     * Each repository's own webhook secret, sealed ({@link RepositoryWebhookSecretChanged}); compacted,
     * key: {@code workspace/slug}. Produced by promotion-service, read from the beginning by webhook-ingest.
     */
    public static final String REPOSITORY_SECRETS = "trunkline.repository-secrets";

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
