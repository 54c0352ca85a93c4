package io.trunkline.promotion.client;

import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.promotion.config.PromotionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The calls promotion-service makes to Bitbucket Cloud and Data Center, with a timeout, one quick retry
 * of a network error or 5xx, and a circuit breaker (so that while Bitbucket is down, events wait without
 * each costing a timeout). Outcomes: an answer ({@link CommitLookup}, found or refused for good), or
 * {@link BitbucketUnavailableException} (try later), which callers also get for a timeout or an open
 * circuit through {@link #unavailable}. The durable retries are the consumer's.
 */
@ApplicationScoped
@Timeout(value = 6, unit = ChronoUnit.SECONDS)
@Retry(maxRetries = 1, delay = 200, jitter = 100, retryOn = BitbucketUnavailableException.class)
@CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS,
        failOn = {BitbucketUnavailableException.class, TimeoutException.class})
public class BitbucketClient {

    private final BitbucketCloudApi cloud;
    // created on first use: without TRUNKLINE_BITBUCKET_SERVER_URL it is never used, and could not be created
    private final Instance<BitbucketDataCenterApi> dataCenter;
    private final PromotionConfig config;

    public BitbucketClient(@RestClient BitbucketCloudApi cloud, @RestClient Instance<BitbucketDataCenterApi> dataCenter,
            PromotionConfig config) {
        this.cloud = cloud;
        this.dataCenter = dataCenter;
        this.config = config;
    }

    /** The full hash of the commit {@code hash} (full or abbreviated) names in the repository. */
    public CommitLookup commit(RepositoryRef repository, String hash) {
        String what = "commit " + hash + " of " + repository.fullName();
        if (repository.provider() == ScmProvider.BITBUCKET_DATA_CENTER) {
            if (config.bitbucket().serverUrl().filter(url -> !url.isBlank()).isEmpty()) {
                return CommitLookup.refused("no Bitbucket Data Center server is configured "
                        + "(TRUNKLINE_BITBUCKET_SERVER_URL) to resolve " + what);
            }
            return call(what, () -> dataCenter.get().commit(repository.workspace(), repository.slug(), hash).id());
        }
        return call(what, () -> cloud.commit(repository.workspace(), repository.slug(), hash).hash());
    }

    /** Whether a failure out of this client (a timeout, an open circuit) means "try later". */
    public static boolean unavailable(Throwable failure) {
        return failure instanceof BitbucketUnavailableException
                || failure instanceof FaultToleranceException;
    }

    private static CommitLookup call(String what, Supplier<String> request) {
        try {
            String hash = request.get();
            return hash == null || hash.isBlank()
                    ? CommitLookup.refused("Bitbucket answered without a hash for " + what) : CommitLookup.found(hash);
        } catch (WebApplicationException e) {
            int code = e.getResponse().getStatus();
            if (code >= 500 || code == 408 || code == 429) {
                throw new BitbucketUnavailableException("Bitbucket answered " + code + " for " + what, e);
            }
            return CommitLookup.refused(switch (code) {
                case 404 -> "Bitbucket knows no " + what;
                case 401, 403 -> "Bitbucket refused access to " + what + " (" + code
                        + "): check TRUNKLINE_BITBUCKET_TOKEN";
                default -> "Bitbucket answered " + code + " for " + what;
            });
        } catch (ProcessingException e) {
            throw new BitbucketUnavailableException("Bitbucket could not be reached for " + what + ": "
                    + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }
}
