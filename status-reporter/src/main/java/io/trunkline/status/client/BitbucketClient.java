package io.trunkline.status.client;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.status.config.BitbucketConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Posts build statuses to Bitbucket Cloud or Data Center, whichever hosts the repository.
 * Each attempt has a timeout; 5xx, 429, network errors and timeouts are retried with exponential
 * backoff, other 4xx are not (the same request would be refused again).
 */
@ApplicationScoped
public class BitbucketClient {

    private static final int MAX_ERROR_BODY = 300;

    private final BitbucketApi cloud;
    private final Optional<BitbucketApi> server;

    public BitbucketClient(BitbucketConfig config) {
        this.cloud = build(config.apiUrl(), config);
        this.server = config.serverUrl().map(url -> build(url, config));
    }

    private static BitbucketApi build(String baseUrl, BitbucketConfig config) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        config.token().ifPresent(token -> builder.register(new BearerTokenFilter(token)));
        return builder.build(BitbucketApi.class);
    }

    /** Whether statuses of repositories hosted by {@code provider} can be posted with this configuration. */
    public boolean reaches(ScmProvider provider) {
        return provider == ScmProvider.BITBUCKET_CLOUD || server.isPresent();
    }

    /**
     * Creates or replaces the build status {@code status.key()} on {@code commit}.
     *
     * @throws BitbucketRejectedException  when Bitbucket refuses it (4xx other than 429)
     * @throws BitbucketUnavailableException when Bitbucket still fails after the retries
     */
    @Timeout(value = 6, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 4, delay = 500, jitter = 200, maxDuration = 30, durationUnit = ChronoUnit.SECONDS,
            retryOn = {BitbucketUnavailableException.class, TimeoutException.class})
    @ExponentialBackoff(factor = 2, maxDelay = 8, maxDelayUnit = ChronoUnit.SECONDS)
    public void postStatus(RepositoryRef repository, String commit, CommitStatus status) {
        try {
            if (repository.provider() == ScmProvider.BITBUCKET_CLOUD) {
                cloud.postCloudBuildStatus(repository.workspace(), repository.slug(), commit, status);
            } else {
                server.orElseThrow(() -> new IllegalStateException(
                                "no Bitbucket Data Center server URL is configured (TRUNKLINE_BITBUCKET_SERVER_URL)"))
                        .postServerBuildStatus(commit, status);
            }
        } catch (WebApplicationException e) {
            int code = e.getResponse().getStatus();
            String message = "Bitbucket answered " + code + " to the " + status.state() + " status of "
                    + repository.fullName() + "@" + commit + errorBody(e);
            if (code == 429 || code >= 500) {
                throw new BitbucketUnavailableException(message, e);
            }
            throw new BitbucketRejectedException(code, message);
        } catch (ProcessingException e) {
            throw new BitbucketUnavailableException("Bitbucket could not be reached for the status of "
                    + repository.fullName() + "@" + commit + ": " + e.getMessage(), e);
        }
    }

    private static String errorBody(WebApplicationException e) {
        try {
            String body = e.getResponse().readEntity(String.class);
            if (body == null || body.isBlank()) {
                return "";
            }
            String oneLine = body.replaceAll("\\s+", " ").trim();
            return ": " + (oneLine.length() > MAX_ERROR_BODY ? oneLine.substring(0, MAX_ERROR_BODY) + "…" : oneLine);
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    @PreDestroy
    void close() {
        closeQuietly(cloud);
        server.ifPresent(BitbucketClient::closeQuietly);
    }

    private static void closeQuietly(BitbucketApi api) {
        if (api instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // shutting down: nothing left to do about it
            }
        }
    }
}
