package io.trunkline.events;

import java.util.Objects;

/**
 * A repository on a Bitbucket installation. For Data Center the workspace is the project key.
 */
public record RepositoryRef(ScmProvider provider, String workspace, String slug) {

    public RepositoryRef {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(slug, "slug");
    }

    /** {@code workspace/slug}, as Bitbucket names the repository. */
    public String fullName() {
        return workspace + "/" + slug;
    }

    /** The Kafka key of everything about this repository. */
    public String key() {
        return provider.id() + ":" + fullName();
    }
}
