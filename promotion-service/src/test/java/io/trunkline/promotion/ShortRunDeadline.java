package io.trunkline.promotion;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A run deadline of 2 s checked every second (Quarkus' scheduler runs nothing more often), so that tests see deployments given up. */
public class ShortRunDeadline implements QuarkusTestProfile {

    public static final String DEADLINE = "2s";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "trunkline.promotion.run-deadline", DEADLINE,
                "trunkline.promotion.deadline-check-interval", "1s");
    }
}
