package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import io.trunkline.promotion.persistence.DeploymentEntity;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * How many SQL statements promotion-service's hot path runs per event: a push to the trunk that queues a staging
 * deployment and hands it over, then deploy-service's IN_PROGRESS and SUCCEEDED for it, called on this thread as
 * the consumers call them. The PostgreSQL driver's protocol trace ({@code FE=> Execute}, one per statement
 * executed, the {@code BEGIN} and {@code COMMIT} of a transaction included) is counted on this thread only, so
 * that the background work (outbox relay, sweeps: other threads) is left out. Not part of the test suite (its
 * name ends in Measurement); run with
 * <pre>
 * ./mvnw -B -o verify -pl promotion-service -Dtest=StatementsPerEventMeasurement -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class StatementsPerEventMeasurement {

    private static final Logger LOG = Logger.getLogger(StatementsPerEventMeasurement.class);
    private static final int ROUNDS = 10;

    @Inject
    Promotions promotions;

    private final StatementCounter counter = new StatementCounter();

    @Test
    void statementsPerPushAndRunState() {
        java.util.logging.Logger driver = java.util.logging.Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");
        java.util.logging.Level level = driver.getLevel();
        driver.setLevel(java.util.logging.Level.FINEST);
        driver.addHandler(counter);
        try {
            RepositoryRef repository = PromotionTopics.configureStaging();
            String previous = PromotionTopics.commit();
            for (int round = 0; round < ROUNDS; round++) {
                String commit = PromotionTopics.commit();
                String old = previous;
                counted("push", () -> promotions.onPush(PromotionTopics.push(repository, RefType.BRANCH, "main", old,
                        commit)));
                DeploymentEntity deployment = QuarkusTransaction.requiringNew().call(() -> DeploymentEntity
                        .<DeploymentEntity>find("commit", commit).singleResult());
                assertThat(deployment.dispatched).isTrue();
                counted("IN_PROGRESS", () -> promotions.onStateChanged(state(deployment, DeploymentState.IN_PROGRESS)));
                counted("SUCCEEDED", () -> promotions.onStateChanged(state(deployment, DeploymentState.SUCCEEDED)));
                assertThat(QuarkusTransaction.requiringNew().call(() -> DeploymentEntity
                        .<DeploymentEntity>findById(deployment.id).state)).isEqualTo(DeploymentState.SUCCEEDED);
                previous = commit;
            }
        } finally {
            driver.removeHandler(counter);
            driver.setLevel(level);
        }
        counter.perEvent.forEach((event, statements) -> {
            LOG.infof("%s: %.1f statements per event", event, statements.values().stream()
                    .mapToInt(Integer::intValue).sum() / (double) ROUNDS);
            statements.forEach((query, calls) -> LOG.infof("    %4.1f  %s", calls / (double) ROUNDS, query));
        });
    }

    private void counted(String event, Runnable handling) {
        counter.event = event;
        counter.thread = Thread.currentThread();
        try {
            handling.run();
        } finally {
            counter.event = null;
        }
    }

    private static DeploymentStateChanged state(DeploymentEntity deployment, DeploymentState state) {
        return new DeploymentStateChanged(UUID.randomUUID(), Instant.now(), deployment.id, deployment.repository(),
                deployment.environment, DeploymentOperation.DEPLOY, deployment.commit, null, state, "run " + state,
                deployment.branch, null, null, "jdoe", "https://ci.example.com/runs/1", null);
    }

    /** Counts the statements the driver executes for the event under way, on its thread, by their text. */
    private static final class StatementCounter extends java.util.logging.Handler {

        final Map<String, Map<String, Integer>> perEvent = new LinkedHashMap<>();
        final Map<String, String> named = new ConcurrentHashMap<>();
        volatile String event;
        volatile Thread thread;
        private String last = "?";

        @Override
        public void publish(java.util.logging.LogRecord record) {
            String message = record.getMessage();
            if (message == null || event == null || Thread.currentThread() != thread) {
                return;
            }
            if (message.startsWith(" FE=> Parse(stmt=")) {
                String name = message.substring(" FE=> Parse(stmt=".length(), message.indexOf(','));
                int query = message.indexOf("query=\"") + "query=\"".length();
                int end = message.lastIndexOf("\",oids=");
                last = message.substring(query, end < query ? message.length() : end).replaceAll("\\s+", " ");
                if (!name.equals("null")) {
                    named.put(name, last);
                }
            } else if (message.startsWith(" FE=> Bind(stmt=")) {
                String name = message.substring(" FE=> Bind(stmt=".length(), message.indexOf(','));
                last = named.getOrDefault(name, last);
            } else if (message.startsWith(" FE=> Execute(")) {
                String query = last.length() > 110 ? last.substring(0, 110) : last;
                perEvent.computeIfAbsent(event, ignored -> new LinkedHashMap<>()).merge(query, 1, Integer::sum);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
