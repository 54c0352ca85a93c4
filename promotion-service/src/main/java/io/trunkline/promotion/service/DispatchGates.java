package io.trunkline.promotion.service;

import io.trunkline.events.DeploymentOperation;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What keeps a deployment whose turn has come from being handed to deploy-service, in this order:
 * <ol>
 *   <li>a <b>hold</b> after a rollback: deployments the rules planned wait until an operator releases the
 *       environment (an operator's own deployment goes);</li>
 *   <li>the <b>soak</b>: the commit must have run long enough in the environment it {@code requires}; it waits
 *       until then, or is rejected when it stopped running there sooner (not for operators' deployments:
 *       the commit succeeded here before);</li>
 *   <li>a <b>freeze</b> window: it waits until the window closes, unless an operator overrode the freeze for
 *       it.</li>
 * </ol>
 * A teardown passes every gate: it removes a preview, it deploys nothing. Pure.
 */
public final class DispatchGates {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private DispatchGates() {
    }

    public enum Kind {
        /** Nothing keeps it: it is handed over now. */
        GO,
        /** It waits, QUEUED with the reason, until {@code retryAt} (null: until something else changes). */
        WAIT,
        /** It can never go: REJECTED with the reason. */
        REJECT
    }

    public record Decision(Kind kind, String reason, Instant retryAt) {

        static final Decision GO = new Decision(Kind.GO, null, null);

        static Decision waitUntil(String reason, Instant retryAt) {
            return new Decision(Kind.WAIT, reason, retryAt);
        }
    }

    /** The deployment being decided about. */
    public record Candidate(DeploymentOperation operation, boolean requestedByOperator, boolean freezeOverridden) {
    }

    /** The hold on the environment: the commit rolled back to, and by whom. */
    public record Hold(String commit, String heldBy) {
    }

    /**
     * @param soak the soak verdict, asked for only where the environment has a soak and it applies
     */
    public static Decision decide(Candidate candidate, EnvironmentConfiguration environment, Optional<Hold> hold,
            Supplier<SoakRule.Verdict> soak, Instant now) {
        if (candidate.operation() == DeploymentOperation.TEARDOWN) {
            return Decision.GO;
        }
        if (hold.isPresent() && !candidate.requestedByOperator()) {
            return Decision.waitUntil("held after rollback to " + Commits.shortened(hold.get().commit()) + " by "
                    + hold.get().heldBy(), null);
        }
        if (environment.soak() != null && environment.requires() != null && !candidate.requestedByOperator()) {
            SoakRule.Verdict verdict = soak.get();
            if (verdict.tooShort() != null) {
                return new Decision(Kind.REJECT, verdict.tooShort(), null);
            }
            if (verdict.soakingUntil() != null) {
                return Decision.waitUntil("soaking in " + environment.requires() + " until "
                        + time(verdict.soakingUntil()) + " (soak " + environment.soak() + ")", verdict.soakingUntil());
            }
        }
        if (environment.freeze() != null && !candidate.freezeOverridden()) {
            Optional<FreezeCalendar.Frozen> frozen = FreezeCalendar.of(environment.freeze()).frozenAt(now);
            if (frozen.isPresent()) {
                return Decision.waitUntil("frozen until " + time(frozen.get().until()) + " (freeze window "
                        + frozen.get().window() + ")", frozen.get().until());
            }
        }
        return Decision.GO;
    }

    private static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }
}
