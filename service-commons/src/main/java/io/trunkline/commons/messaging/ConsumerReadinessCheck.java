package io.trunkline.commons.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready} is DOWN while a consumer retries a record, naming it, since when and why. */
@Readiness
@ApplicationScoped
public class ConsumerReadinessCheck implements HealthCheck {

    private final ConsumerStalls stalls;

    public ConsumerReadinessCheck(ConsumerStalls stalls) {
        this.stalls = stalls;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Kafka consumers processing");
        Map<String, ConsumerStalls.Stall> now = stalls.current();
        now.forEach((consumer, stall) -> response.withData(consumer,
                "retrying since " + stall.since() + ": " + stall.reason()));
        return response.status(now.isEmpty()).build();
    }
}
