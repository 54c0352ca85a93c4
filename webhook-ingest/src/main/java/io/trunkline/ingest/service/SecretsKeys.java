package io.trunkline.ingest.service;

import io.quarkus.runtime.StartupEvent;
import io.trunkline.events.SecretSealing;
import io.trunkline.ingest.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;

/** The keys that open repositories' sealed webhook secrets: the current one and those being rotated out. */
@ApplicationScoped
public class SecretsKeys {

    private final List<SecretSealing.Key> keys;

    public SecretsKeys(WebhookConfig config) {
        List<SecretSealing.Key> parsed = new ArrayList<>();
        try {
            config.secretsKey().ifPresent(key -> parsed.add(SecretSealing.Key.fromBase64(key)));
            config.previousSecretsKeys().orElse(List.of()).stream()
                    .filter(key -> !key.isBlank())
                    .forEach(key -> parsed.add(SecretSealing.Key.fromBase64(key)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("TRUNKLINE_SECRETS_KEY or TRUNKLINE_SECRETS_PREVIOUS_KEYS is invalid: "
                    + e.getMessage());
        }
        this.keys = List.copyOf(parsed);
    }

    /** A key that is not 32 bytes of base64 stops the start rather than every delivery of a repository later. */
    void checkOnStart(@Observes StartupEvent event) {
        all();
    }

    public List<SecretSealing.Key> all() {
        return keys;
    }

    public boolean configured() {
        return !keys.isEmpty();
    }
}
