package io.trunkline.ingest.service;

import io.quarkus.runtime.StartupEvent;
import io.trunkline.ingest.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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

    /** True when the delivery may be processed: correctly signed, or no secret applies and unsigned is allowed. */
    public boolean accepts(byte[] body, String signatureHeader) {
        return config.secret()
                .map(secret -> WebhookSignature.matches(secret, body, signatureHeader))
                .orElse(config.allowUnsigned());
    }
}
