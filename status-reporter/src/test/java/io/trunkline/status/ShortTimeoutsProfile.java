package io.trunkline.status;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The profile of every {@code @QuarkusTest} of this module (one profile, so one application boot):
 * Bitbucket calls time out after a second or two, and the delivery queue retries and polls within
 * fractions of a second, so that outages, rate limits and recoveries play out in test time.
 */
public class ShortTimeoutsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("quarkus.rest-client.bitbucket-cloud.read-timeout", "1500"),
                Map.entry("quarkus.rest-client.bitbucket-data-center.read-timeout", "1500"),
                Map.entry("quarkus.rest-client.bitbucket-cloud.connect-timeout", "500"),
                Map.entry("quarkus.rest-client.bitbucket-data-center.connect-timeout", "500"),
                Map.entry("io.trunkline.status.client.BitbucketClient/Timeout/value", "2000"),
                Map.entry("io.trunkline.status.client.BitbucketClient/Timeout/unit", "MILLIS"),
                Map.entry("io.trunkline.status.client.BitbucketClient/CircuitBreaker/delay", "500"),
                Map.entry("io.trunkline.status.client.BitbucketClient/CircuitBreaker/delayUnit", "MILLIS"),
                Map.entry("trunkline.delivery.poll-interval", "1s"),
                Map.entry("trunkline.delivery.initial-backoff", "100ms"),
                Map.entry("trunkline.delivery.max-backoff", "1s"),
                Map.entry("trunkline.delivery.jitter", "50ms"),
                Map.entry("trunkline.delivery.rate-limit-pause", "2s"),
                Map.entry("trunkline.delivery.claim-timeout", "10s"),
                Map.entry("trunkline.consumer.max-backoff", "1s"));
    }
}
