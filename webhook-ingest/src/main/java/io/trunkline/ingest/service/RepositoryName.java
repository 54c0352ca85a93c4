package io.trunkline.ingest.service;

import java.util.Optional;

/** {@code workspace/slug} (Data Center: {@code projectKey/slug}), as a delivery names it or the configuration API keys it. */
public record RepositoryName(String workspace, String slug) {

    /** Empty unless {@code name} is two non-empty parts around one slash. */
    public static Optional<RepositoryName> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        int slash = name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1 || name.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        return Optional.of(new RepositoryName(name.substring(0, slash), name.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return workspace + "/" + slug;
    }
}
