package io.trunkline.ingest.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready} is DOWN until the repositories' webhook secrets are loaded after a start. */
@Readiness
@ApplicationScoped
public class RepositorySecretsReadiness implements HealthCheck {

    private final RepositorySecretsFeed feed;

    public RepositorySecretsReadiness(RepositorySecretsFeed feed) {
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Repository webhook secrets loaded").status(feed.loaded()).build();
    }
}
