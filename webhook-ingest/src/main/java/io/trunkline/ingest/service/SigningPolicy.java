package io.trunkline.ingest.service;

import io.quarkus.runtime.StartupEvent;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.RejectedDeliveryException.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/** Which deliveries must be signed, and with which secret. */
@ApplicationScoped
public class SigningPolicy {

    private final WebhookConfig config;

    public SigningPolicy(WebhookConfig config) {
        this.config = config;
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
     * @param repository the repository the still unverified body names, if any
     * @throws RejectedDeliveryException {@code BAD_SIGNATURE} otherwise
     */
    public void verify(Optional<String> repository, byte[] body, String signature) {
        boolean accepted = config.secret()
                .map(secret -> WebhookSignature.matches(secret, body, signature))
                .orElse(config.allowUnsigned());
        if (!accepted) {
            throw new RejectedDeliveryException(Rejection.BAD_SIGNATURE, signature == null
                    ? "The X-Hub-Signature header is missing."
                    : "The X-Hub-Signature header does not match the body and the secret that applies.");
        }
    }
}
