package io.trunkline.ingest.service;

import io.trunkline.ingest.persistence.StoredSecret;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What {@code repository_secret} holds for a name (regardless of case), remembered between
 * deliveries so that most of them need no query. Every instance applies every record of the topic
 * itself ({@link RepositorySecretUpdates}) and forgets the name then, so the cache is never behind
 * the table; a lookup that raced with a record is not remembered. Names come from unverified bodies:
 * past {@link #MAX_NAMES} the cache starts over, so no sender can make it grow without bound.
 */
@ApplicationScoped
public class RepositorySecretCache {

    static final int MAX_NAMES = 10_000;

    private final Map<String, List<StoredSecret>> byName = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    /** The stored secrets of {@code name}, from memory or from {@code query}. */
    List<StoredSecret> get(RepositoryName name, Supplier<List<StoredSecret>> query) {
        String key = keyOf(name);
        List<StoredSecret> known = byName.get(key);
        if (known != null) {
            return known;
        }
        long before = changes.get();
        List<StoredSecret> stored = List.copyOf(query.get());
        if (changes.get() == before) {
            if (byName.size() >= MAX_NAMES) {
                byName.clear();
            }
            byName.put(key, stored);
        }
        return stored;
    }

    /** A record of {@code name} was applied: the next lookup reads the table. */
    void forget(RepositoryName name) {
        changes.incrementAndGet();
        byName.remove(keyOf(name));
    }

    private static String keyOf(RepositoryName name) {
        return name.workspace().toLowerCase(Locale.ROOT) + "/" + name.slug().toLowerCase(Locale.ROOT);
    }
}
