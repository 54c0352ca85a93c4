package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.TargetSpec;
import io.trunkline.promotion.service.DispatchGates.Candidate;
import io.trunkline.promotion.service.DispatchGates.Decision;
import io.trunkline.promotion.service.DispatchGates.Hold;
import io.trunkline.promotion.service.DispatchGates.Kind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DispatchGatesTest {

    private static final Instant NOW = Instant.parse("2026-12-24T10:00:00Z");
    private static final TargetSpec TARGET = TargetSpec.http("POST", "https://deploy.example.com", null);
    private static final Candidate RULES = new Candidate(DeploymentOperation.DEPLOY, false, false);
    private static final Candidate OPERATOR = new Candidate(DeploymentOperation.DEPLOY, true, false);
    private static final Candidate OVERRIDDEN = new Candidate(DeploymentOperation.DEPLOY, false, true);
    private static final Candidate TEARDOWN = new Candidate(DeploymentOperation.TEARDOWN, false, false);
    private static final Optional<Hold> HELD = Optional.of(new Hold("c".repeat(40), "jdoe"));
    private static final FreezeWindow CHRISTMAS = new FreezeWindow("christmas", null, null, "2026-12-23T18:00",
            "2027-01-04T08:00", "Europe/Berlin");
    private static final Supplier<SoakRule.Verdict> NOT_ASKED = () -> fail("the soak is not asked for");

    private static EnvironmentConfiguration production(String soak, FreezeWindow... freeze) {
        return new EnvironmentConfiguration("production", "release-tag", TARGET, null, null, soak == null ? null : "staging",
                null, soak, freeze.length == 0 ? null : List.of(freeze), null, null);
    }

    private static Supplier<SoakRule.Verdict> soak(SoakRule.Verdict verdict) {
        return () -> verdict;
    }

    @Test
    void nothingKeepsADeploymentWithoutGates() {
        assertThat(DispatchGates.decide(RULES, production(null), Optional.empty(), NOT_ASKED, NOW).kind())
                .isEqualTo(Kind.GO);
    }

    @Test
    void aHoldKeepsTheRulesDeploymentsButNotAnOperators() {
        Decision held = DispatchGates.decide(RULES, production(null), HELD, NOT_ASKED, NOW);
        assertThat(held.kind()).isEqualTo(Kind.WAIT);
        assertThat(held.reason()).isEqualTo("held after rollback to cccccccccccc by jdoe");
        assertThat(held.retryAt()).as("until released, not a time").isNull();
        assertThat(DispatchGates.decide(OPERATOR, production(null), HELD, NOT_ASKED, NOW).kind()).isEqualTo(Kind.GO);
    }

    @Test
    void aSoakKeepsTheDeploymentUntilItEndsOrRejectsItWhenItCannotBeMet() {
        Instant soakEnds = NOW.plusSeconds(600);
        Decision soaking = DispatchGates.decide(RULES, production("30m"), Optional.empty(),
                soak(new SoakRule.Verdict(soakEnds, null)), NOW);
        assertThat(soaking).isEqualTo(new Decision(Kind.WAIT,
                "soaking in staging until 2026-12-24T10:10:00Z (soak 30m)", soakEnds));

        Decision tooShort = DispatchGates.decide(RULES, production("30m"), Optional.empty(),
                soak(new SoakRule.Verdict(null, "staging ran it for only 5m")), NOW);
        assertThat(tooShort).isEqualTo(new Decision(Kind.REJECT, "staging ran it for only 5m", null));

        assertThat(DispatchGates.decide(RULES, production("30m"), Optional.empty(), soak(SoakRule.Verdict.SOAKED), NOW)
                .kind()).isEqualTo(Kind.GO);
        assertThat(DispatchGates.decide(OPERATOR, production("30m"), Optional.empty(), NOT_ASKED, NOW).kind())
                .as("an operator redeploys a commit that succeeded here before").isEqualTo(Kind.GO);
    }

    @Test
    void aFreezeKeepsEveryDeploymentUntilTheWindowClosesUnlessOverridden() {
        Decision frozen = DispatchGates.decide(RULES, production(null, CHRISTMAS), Optional.empty(), NOT_ASKED, NOW);
        assertThat(frozen).isEqualTo(new Decision(Kind.WAIT, "frozen until 2027-01-04T07:00:00Z (freeze window "
                + "'christmas' 2026-12-23T18:00 to 2027-01-04T08:00, Europe/Berlin)", Instant.parse("2027-01-04T07:00:00Z")));
        assertThat(DispatchGates.decide(OPERATOR, production(null, CHRISTMAS), Optional.empty(), NOT_ASKED, NOW).kind())
                .as("a rollback waits too, unless overridden").isEqualTo(Kind.WAIT);
        assertThat(DispatchGates.decide(OVERRIDDEN, production(null, CHRISTMAS), Optional.empty(), NOT_ASKED, NOW).kind())
                .isEqualTo(Kind.GO);
        assertThat(DispatchGates.decide(RULES, production(null, CHRISTMAS), Optional.empty(), NOT_ASKED,
                Instant.parse("2027-01-04T07:00:00Z")).kind()).isEqualTo(Kind.GO);
    }

    @Test
    void gatesAreLookedAtInOrderHoldSoakFreeze() {
        EnvironmentConfiguration everything = production("30m", CHRISTMAS);
        assertThat(DispatchGates.decide(RULES, everything, HELD, NOT_ASKED, NOW).reason()).startsWith("held");
        assertThat(DispatchGates.decide(RULES, everything, Optional.empty(),
                soak(new SoakRule.Verdict(NOW.plusSeconds(60), null)), NOW).reason()).startsWith("soaking");
        assertThat(DispatchGates.decide(RULES, everything, Optional.empty(), soak(SoakRule.Verdict.SOAKED), NOW).reason())
                .startsWith("frozen");
    }

    @Test
    void aTeardownPassesEveryGate() {
        assertThat(DispatchGates.decide(TEARDOWN, production("30m", CHRISTMAS), HELD, NOT_ASKED, NOW).kind())
                .isEqualTo(Kind.GO);
    }
}
