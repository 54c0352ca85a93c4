package io.trunkline.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.deploy.service.LeaseTakeover.Decision;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TargetSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When a lease counts as expired, and what recovery then does with the run. */
class LeaseTakeoverTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Instant EXPIRED = NOW.minusMillis(1);

    private static DeploymentRequested request(Boolean idempotent, Instant notAfter) {
        TargetSpec target = new TargetSpec(TargetSpec.HTTP, "POST", "https://deploy.example.com/", Map.of(), null, null,
                null, Map.of(), null, null, null, null, idempotent, null, null);
        return new DeploymentRequested(UUID.randomUUID(), NOW.minusSeconds(60), UUID.randomUUID(),
                new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "web"), "staging", DeploymentOperation.DEPLOY,
                "141977fedf5cf35aa290ac87d4b5177ac4cd9de1", "main", null, null, target, notAfter);
    }

    @Test
    void aLeaseIsExpiredOnlyOnceItsExpiryHasPassed() {
        DeploymentRequested idempotent = request(true, null);

        assertThat(LeaseTakeover.decide(NOW.plusMillis(1), NOW, false, idempotent, false)).isEqualTo(Decision.LEAVE);
        assertThat(LeaseTakeover.decide(NOW.plusSeconds(30), NOW, false, request(false, null), false)).isEqualTo(Decision.LEAVE);
        assertThat(LeaseTakeover.decide(NOW, NOW, false, idempotent, false)).isEqualTo(Decision.LEAVE);
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, false, idempotent, false)).isEqualTo(Decision.RESUME);
    }

    @Test
    void aRunWithoutAnyLeaseIsAbandoned() {
        assertThat(LeaseTakeover.decide(null, NOW, false, request(false, null), false)).isEqualTo(Decision.FAIL);
    }

    @Test
    void aRunThisInstanceIsStillWorkingOnIsLeftToItsWorkerEvenWithAnExpiredLease() {
        // its renewals failed (database outage): the worker is alive and will record the real outcome
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, true, request(false, null), false)).isEqualTo(Decision.LEAVE);
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, true, request(true, null), false)).isEqualTo(Decision.LEAVE);
    }

    @Test
    void onlyAnIdempotentTargetIsCalledAgain() {
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, false, request(true, null), false)).isEqualTo(Decision.RESUME);
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, false, request(false, null), false)).isEqualTo(Decision.FAIL);
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, false, request(null, null), false)).isEqualTo(Decision.FAIL);
        // a pipeline or Pulumi run that was stored is followed again, which deploys nothing twice
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, false, request(false, null), true)).isEqualTo(Decision.RESUME);
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, false, request(false, NOW), true)).isEqualTo(Decision.FAIL);
    }

    @Test
    void noRunIsResumedOncePromotionServiceHasGivenUpOnIt() {
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, false, request(true, NOW), false)).isEqualTo(Decision.FAIL);
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, false, request(true, NOW.plus(Duration.ofMinutes(5))), false))
                .isEqualTo(Decision.RESUME);
    }

    @Test
    void aRunWhoseRequestCannotBeReadEndsFailed() {
        assertThat(LeaseTakeover.decide(EXPIRED, NOW, false, null, false)).isEqualTo(Decision.FAIL);
    }
}
