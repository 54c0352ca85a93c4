package io.trunkline.promotion.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Whether a commit has run long enough in the environment it requires ({@code soak}). The required
 * environment runs a commit from the moment its deployment succeeds until another commit's deployment
 * succeeds there. The soak is over once one such run of the commit has lasted {@code soak}; while the
 * commit still runs there, the deployment waits until then; if every run of it ended sooner, it never
 * will, and the deployment is rejected. Pure.
 */
public final class SoakRule {

    private SoakRule() {
    }

    /** A successful deployment in the required environment: which commit, and when it succeeded. */
    public record Run(String commit, Instant succeededAt) {
    }

    /** What the rule says: {@code soakedUntil} null and {@code tooShort} false is "soaked". */
    public record Verdict(Instant soakingUntil, String tooShort) {

        public static final Verdict SOAKED = new Verdict(null, null);

        public boolean soaked() {
            return soakingUntil == null && tooShort == null;
        }
    }

    /**
     * @param runs the successful deployments of the required environment, oldest first
     */
    public static Verdict judge(List<Run> runs, String commit, Duration soak, String requiredEnvironment, Instant now) {
        Duration longest = null;
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            if (!run.commit().equals(commit)) {
                continue;
            }
            Instant endedAt = null;
            for (int j = i + 1; j < runs.size() && endedAt == null; j++) {
                if (!Objects.equals(runs.get(j).commit(), commit)) {
                    endedAt = runs.get(j).succeededAt();
                }
            }
            if (endedAt == null) {
                Instant soakEnds = run.succeededAt().plus(soak);
                return now.isBefore(soakEnds) ? new Verdict(soakEnds, null) : Verdict.SOAKED;
            }
            Duration ran = Duration.between(run.succeededAt(), endedAt);
            if (ran.compareTo(soak) >= 0) {
                return Verdict.SOAKED;
            }
            longest = longest == null || ran.compareTo(longest) > 0 ? ran : longest;
            // later runs of the same commit are looked at in turn
            i = indexOf(runs, endedAt, i) - 1;
        }
        return new Verdict(null, requiredEnvironment + " ran commit " + Commits.shortened(commit) + " for "
                + (longest == null ? "no time" : "only " + DurationText.of(longest.withNanos(0))) + " of the "
                + DurationText.of(soak) + " soak before another commit replaced it");
    }

    private static int indexOf(List<Run> runs, Instant succeededAt, int after) {
        for (int i = after + 1; i < runs.size(); i++) {
            if (runs.get(i).succeededAt().equals(succeededAt)) {
                return i;
            }
        }
        return runs.size();
    }
}
