package io.trunkline.ingest.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * A broker of the test's own ({@link RestartableKafkaResource}) and shorter publish timeouts, in the
 * same relation as in production: the producer gives up for good (max.block 0.4 s + 2 x delivery 1.2 s)
 * before the delivery is answered (3 s).
 */
public class OwnBrokerProfile implements QuarkusTestProfile {

    public static final String RETRY_AFTER_SECONDS = "7";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "trunkline.webhook.publish-timeout", "3s",
                "trunkline.webhook.retry-after", RETRY_AFTER_SECONDS + "s",
                "mp.messaging.outgoing.trunkline-events.max.block.ms", "400",
                "mp.messaging.outgoing.trunkline-events.delivery.timeout.ms", "1200",
                "mp.messaging.outgoing.trunkline-events.request.timeout.ms", "1000",
                "trunkline.kafka.topics.create-timeout", "5s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RestartableKafkaResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
