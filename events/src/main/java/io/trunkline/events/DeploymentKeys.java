package io.trunkline.events;

/** Kafka keys of deployment events: one repository and environment stay in order. */
public final class DeploymentKeys {

    private DeploymentKeys() {
    }

    public static String key(RepositoryRef repository, String environment) {
        return repository.key() + "/" + environment;
    }
}
