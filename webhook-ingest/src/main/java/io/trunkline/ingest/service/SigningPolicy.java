package io.trunkline.ingest.service;

import io.quarkus.runtime.StartupEvent;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.RejectedDeliveryException.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * Which deliveries must be signed, and with which secret: a repository's own secret where it has one
 * (never unsigned, whatever {@code allow-unsigned} says), else the global one, else none where
 * unsigned deliveries are allowed.
 */
@ApplicationScoped
public class SigningPolicy {

    private final WebhookConfig config;
    private final RepositorySecrets repositorySecrets;

    public SigningPolicy(WebhookConfig config, RepositorySecrets repositorySecrets) {
        this.config = config;
        this.repositorySecrets = repositorySecrets;
    }

    /** Without a secret the service only starts when unsigned deliveries were explicitly allowed. */
    void checkOnStart(@Observes StartupEvent event) {
        if (config.secret().isEmpty() && !config.allowUnsigned()) {
            throw new IllegalStateException("No webhook secret is configured: set TRUNKLINE_WEBHOOK_SECRET, "
                    + "or TRUNKLINE_WEBHOOK_ALLOW_UNSIGNED=true to accept unsigned deliveries");
        }
    }

    /**
     * Passes when the delivery may be processed: correctly signed with the secret that applies, or no
     * secret applies and unsigned deliveries are allowed.
     *
     * @param repository the repository the still unverified body names, if any: it only chooses the secret
     * @throws RejectedDeliveryException {@code BAD_SIGNATURE} otherwise
     * @throws EventNotStoredException   which secret applies cannot be told now
     */
    public void verify(Optional<String> repository, byte[] body, String signature) {
        SecretRequirement requirement = repositorySecrets.requirementFor(repository);
        boolean accepted;
        if (requirement instanceof SecretRequirement.Own own) {
            accepted = own.secrets().stream().anyMatch(secret -> WebhookSignature.matches(secret, body, signature));
        } else {
            accepted = config.secret()
                    .map(secret -> WebhookSignature.matches(secret, body, signature))
                    .orElse(config.allowUnsigned());
        }
        if (!accepted) {
            throw new RejectedDeliveryException(Rejection.BAD_SIGNATURE, signature == null
                    ? "The X-Hub-Signature header is missing."
                    : "The X-Hub-Signature header does not match the body and the secret that applies.");
        }
    }
}
