package io.trunkline.promotion.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A repository's promotion rules, as the configuration API reads and writes them.
 * {@code webhookSecret} is write-only: it is stored, never returned. {@code reconcile}: the optional
 * reconciliation of missed webhooks (null: off).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RepositoryConfiguration(
        String trunkBranch,
        String releaseTagPattern,
        String webhookSecret,
        Boolean previewForks,
        List<EnvironmentConfiguration> environments,
        ReconcileSetting reconcile) {

    public static final String DEFAULT_TRUNK_BRANCH = "main";
    public static final String DEFAULT_RELEASE_TAG_PATTERN = "release-*";

    /** A configuration without reconciliation. */
    public RepositoryConfiguration(String trunkBranch, String releaseTagPattern, String webhookSecret,
            Boolean previewForks, List<EnvironmentConfiguration> environments) {
        this(trunkBranch, releaseTagPattern, webhookSecret, previewForks, environments, null);
    }

    /** The configuration with defaults filled in and the secret left out. */
    public RepositoryConfiguration normalised() {
        return new RepositoryConfiguration(
                trunkBranch == null ? DEFAULT_TRUNK_BRANCH : trunkBranch,
                releaseTagPattern == null ? DEFAULT_RELEASE_TAG_PATTERN : releaseTagPattern,
                null,
                Boolean.TRUE.equals(previewForks),
                environments == null ? List.of() : environments.stream().map(EnvironmentConfiguration::normalised).toList(),
                reconcile);
    }

    /** The environment named {@code name}, if the configuration has it. */
    public Optional<EnvironmentConfiguration> environment(String name) {
        return environments == null ? Optional.empty()
                : environments.stream().filter(environment -> name.equals(environment.name())).findFirst();
    }
}
