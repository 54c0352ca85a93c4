package io.trunkline.deploy.messaging;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Short retries and timeouts, WireMock's loopback address allowed, and the target token the
 * {@code env:DEPLOY_TEST_TOKEN} references resolve to. Every {@code @QuarkusTest} of this module
 * uses it, with the same test resources, so the application boots once.
 */
public class DeployTestProfile implements QuarkusTestProfile {

    /** The value of {@code env:DEPLOY_TEST_TOKEN}; it must never leave the Authorization header. */
    public static final String TOKEN = "dt-7Hq2vN9xLp4Rz8Wm";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "DEPLOY_TEST_TOKEN", TOKEN,
                "trunkline.target.allowed-hosts", "127.0.0.1",
                "trunkline.deploy.attempts", "3",
                "trunkline.deploy.attempt-timeout", "2s",
                "trunkline.deploy.initial-backoff", "50ms",
                "trunkline.deploy.max-backoff", "200ms");
    }
}
