package io.trunkline.ingest.service;

import io.trunkline.events.SecretSealing;
import io.trunkline.ingest.persistence.StoredSecret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which secret a delivery must be signed with: the global rule (the global secret, or none where
 * unsigned deliveries are allowed), or one of the repository's own secrets, unsigned never.
 */
public sealed interface SecretRequirement {

    record Global() implements SecretRequirement {
    }

    /** {@code secrets} holds one secret, or, where only repositories differing in case have one, theirs. */
    record Own(List<String> secrets) implements SecretRequirement {

        @Override
        public String toString() {
            return "Own[" + secrets.size() + " secret(s)]";
        }
    }

    SecretRequirement GLOBAL = new Global();

    /**
     * The requirement for {@code repository}, given the stored secrets of the repositories named like it
     * regardless of case. The repository named exactly decides; where there is none, every repository
     * differing only in case does: a delivery cannot escape a repository's secret by changing the case of
     * its name. A repository without secret of its own (sealed empty text) falls back to the global rule.
     *
     * @throws UnreadableSecretException a secret that applies cannot be opened with {@code keys}
     */
    static SecretRequirement of(RepositoryName repository, List<StoredSecret> stored, Collection<SecretSealing.Key> keys) {
        Optional<StoredSecret> exact = stored.stream()
                .filter(secret -> secret.workspace().equals(repository.workspace()) && secret.slug().equals(repository.slug()))
                .findFirst();
        List<StoredSecret> applying = exact.map(List::of).orElse(stored);
        List<String> secrets = new ArrayList<>();
        for (StoredSecret secret : applying) {
            if (!secret.readable()) {
                throw new UnreadableSecretException(secret.workspace() + "/" + secret.slug()
                        + ": its last record could not be read");
            }
            try {
                String opened = SecretSealing.open(keys, secret.workspace(), secret.slug(), secret.occurredAtInstant(),
                        secret.sealed());
                if (!opened.isEmpty()) {
                    secrets.add(opened);
                }
            } catch (SecretSealing.BrokenSealException e) {
                throw new UnreadableSecretException(secret.workspace() + "/" + secret.slug() + ": " + e.getMessage());
            }
        }
        return secrets.isEmpty() ? GLOBAL : new Own(List.copyOf(secrets));
    }

    /** A repository has a secret of its own that this service cannot read: its deliveries cannot be verified. */
    final class UnreadableSecretException extends RuntimeException {
        UnreadableSecretException(String message) {
            super(message, null, false, false);
        }
    }
}
