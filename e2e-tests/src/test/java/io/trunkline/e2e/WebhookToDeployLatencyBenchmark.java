package io.trunkline.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.trunkline.infra.test.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * How long from a signed push arriving at webhook-ingest until deploy-service calls the target,
 * through Kafka, promotion-service and its outbox, on the real system as processes. Not part of
 * {@code ./mvnw verify}; run it with
 * {@code ./mvnw -B install -DskipTests && ./mvnw -B verify -pl e2e-tests -Dit.test=WebhookToDeployLatencyBenchmark}.
 * It logs percentiles and writes them to {@code e2e-tests/target/benchmark-latency.txt}; it asserts
 * only that every push was deployed, never a duration.
 */
class WebhookToDeployLatencyBenchmark {

    private static final Logger LOG = Logger.getLogger(WebhookToDeployLatencyBenchmark.class);

    private static final String TEMPLATE_COMMIT = "141977fedf5cf35aa290ac87d4b5177ac4cd9de1";
    private static final int WARM_UP = Integer.getInteger("benchmark.warmUp", 30);
    private static final int MEASURED = Integer.getInteger("benchmark.pushes", 300);
    private static final int RATE_PER_SECOND = Integer.getInteger("benchmark.rate", 20);

    @Test
    void webhookToTargetCall() throws IOException {
        try (RunningSystem system = RunningSystem.start()) {
            byte[] template = Fixtures.bytes("bitbucket-cloud/go-scm/push.json");
            int total = WARM_UP + MEASURED;
            List<String> slugs = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                // one repository per push: pushes to one environment would rightly supersede each other
                String slug = "bench-" + i;
                system.configure("bench", slug, "/deploy/{commit}");
                slugs.add(slug);
            }

            Map<String, Long> sentAt = new HashMap<>();
            List<Long> acceptMillis = new ArrayList<>();
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / RATE_PER_SECOND;
            long next = System.nanoTime();
            for (int i = 0; i < total; i++) {
                String commit = String.format("%040x", i + 1L);
                byte[] body = new String(template, StandardCharsets.UTF_8)
                        .replace("brydzewski/foo", "bench/" + slugs.get(i))
                        .replace(TEMPLATE_COMMIT, commit)
                        .getBytes(StandardCharsets.UTF_8);
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                next += intervalNanos;
                long sent = System.currentTimeMillis();
                system.deliverPush(body, UUID.randomUUID().toString()).then().statusCode(202);
                if (i >= WARM_UP) {
                    sentAt.put(commit, sent);
                    acceptMillis.add(System.currentTimeMillis() - sent);
                }
            }

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                    assertThat(system.target.findAll(postRequestedFor(urlPathMatching("/deploy/.*")))).hasSize(total));
            List<Long> deployMillis = new ArrayList<>();
            for (LoggedRequest call : system.target.findAll(postRequestedFor(urlPathMatching("/deploy/.*")))) {
                Long sent = sentAt.get(call.getUrl().substring("/deploy/".length()));
                if (sent != null) {
                    deployMillis.add(call.getLoggedDate().getTime() - sent);
                }
            }

            String report = String.format(Locale.ROOT, """
                    webhook -> target call, %d pushes at %d/s after %d warm-up pushes
                      webhook answered 202:  %s
                      target called:         %s
                    """, MEASURED, RATE_PER_SECOND, WARM_UP, percentiles(acceptMillis), percentiles(deployMillis));
            LOG.info(report);
            Path out = Path.of(System.getProperty("trunkline.root", "..")).resolve("e2e-tests/target/benchmark-latency.txt");
            Files.writeString(out, report);
            assertThat(deployMillis).hasSize(MEASURED);
        }
    }

    private static String percentiles(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms",
                at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted.get(sorted.size() - 1));
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
