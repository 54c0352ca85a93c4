package io.trunkline.deploy.client;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.trunkline.deploy.config.DeployConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Makes one outbound call to a target, again and again as {@link RetryPolicy} allows, through SmallRye
 * Fault Tolerance: a {@link TypedGuard} retry (its waits are the policy's, decided at each attempt:
 * exponential backoff with jitter, or the target's {@code Retry-After}) around a circuit breaker per
 * target host, shared by every call to that host. A call that deployed nothing (5xx, 429, no connection, breaker open) is made
 * again; one whose outcome is unknown only for an idempotent target; no attempt starts after
 * {@code trunkline.deploy.retry-for}, after the request's {@code notAfter}, or once this instance may
 * have lost the run's lease.
 */
@ApplicationScoped
public class CallRetries {

    private static final Logger LOG = Logger.getLogger(CallRetries.class);

    private final RetryPolicy policy;
    private final Duration retryFor;
    private final DeployConfig.CircuitBreaker breakerSettings;
    private final Map<String, TypedGuard<AttemptResult>> breakers = new ConcurrentHashMap<>();
    /**
     * One retry for every call: it keeps no state of a call, each attempt deciding whether and after how
     * long another follows ({@link CallAgain}), so building one per call would only cost.
     */
    private final TypedGuard<Result> retry = TypedGuard.create(Result.class)
            .withDescription("deploy-service target calls")
            .withRetry()
            .maxRetries(-1)
            .maxDuration(0, ChronoUnit.MILLIS) // the policy keeps the budget
            .delay(0, ChronoUnit.MILLIS)
            .jitter(0, ChronoUnit.MILLIS)
            .whenException(CallAgain.class::isInstance)
            .withCustomBackoff()
            .strategy(WaitAsDecided::new)
            .done()
            .done()
            .build();

    public CallRetries(DeployConfig config) {
        this.policy = new RetryPolicy(config.initialBackoff(), config.maxBackoff(), Math::random);
        this.retryFor = config.retryFor();
        this.breakerSettings = config.circuitBreaker();
    }

    /** Why the calls ended. */
    public enum Ending {
        /** The last answer settles it: deployed, or refused for good. */
        SETTLED,
        /** The outcome of the last call is unknown and the target is not idempotent. */
        OUTCOME_UNKNOWN,
        /** {@code retry-for} has passed since the first call. */
        BUDGET_SPENT,
        /** The request's {@code notAfter} came first. */
        NOT_AFTER,
        /** This instance could not renew its lease on the run: another may have taken it. */
        LEASE_LOST
    }

    /**
     * How the calls ended.
     *
     * @param last the last attempt's result
     * @param calls how many requests were made (attempts the breaker or the address guard stopped are not calls)
     */
    public record Result(AttemptResult last, int calls, Ending ending) {
    }

    /**
     * Calls until the result settles the deployment or the rules end the retries.
     *
     * @param host the target host and port: its circuit breaker
     * @param subject names the call in log lines, e.g. "Deployment 7d3c…"
     * @param attempt makes one call; throws {@link CallInterruptedException} when interrupted
     * @throws CallInterruptedException when the thread is interrupted before the outcome is known
     */
    public Result call(String host, String subject, CallRules rules, Supplier<AttemptResult> attempt) {
        long started = System.nanoTime();
        Duration budget = budget(rules.notAfter());
        boolean endsAtNotAfter = budget.compareTo(retryFor) < 0;
        int[] tries = {0};
        int[] calls = {0};
        AttemptResult[] last = {null};
        try {
            return retry.get(() -> {
                int number = ++tries[0];
                if (number > 1 && !rules.leaseHeld().getAsBoolean()) {
                    return new Result(last[0], calls[0], Ending.LEASE_LOST);
                }
                AttemptResult result = throughBreaker(host, attempt);
                last[0] = result;
                if (result.isCall()) {
                    calls[0]++;
                }
                AttemptResult.Verdict verdict = result.verdict();
                if (verdict == AttemptResult.Verdict.SUCCEEDED || verdict == AttemptResult.Verdict.REFUSED) {
                    return new Result(result, calls[0], Ending.SETTLED);
                }
                if (verdict == AttemptResult.Verdict.OUTCOME_UNKNOWN && !rules.repeatUnknownOutcomes()) {
                    return new Result(result, calls[0], Ending.OUTCOME_UNKNOWN);
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                var wait = policy.retryAfter(result, number, elapsed, rules.repeatUnknownOutcomes(), budget);
                if (wait.isEmpty()) {
                    return new Result(result, calls[0], endsAtNotAfter ? Ending.NOT_AFTER : Ending.BUDGET_SPENT);
                }
                LOG.infof("%s: attempt %d failed (%s), retrying in %s", subject, number, summary(result),
                        human(wait.get()));
                throw new CallAgain(wait.get());
            });
        } catch (CallInterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                throw interrupted(calls[0]);
            }
            throw e;
        } catch (Exception e) {
            // TypedGuard.get rethrows the InterruptedException of a wait as it is
            Thread.currentThread().interrupt();
            throw interrupted(calls[0]);
        }
    }

    private static CallInterruptedException interrupted(int calls) {
        return new CallInterruptedException("deploy-service is stopping; the target was called " + calls
                + (calls == 1 ? " time" : " times") + " and its last answer is unknown");
    }

    /** How long after the first call another may start: {@code retry-for}, or less when {@code notAfter} comes first. */
    private Duration budget(Instant notAfter) {
        if (notAfter == null) {
            return retryFor;
        }
        Duration untilNotAfter = Duration.between(Instant.now(), notAfter);
        return untilNotAfter.compareTo(retryFor) < 0 ? untilNotAfter : retryFor;
    }

    private AttemptResult throughBreaker(String host, Supplier<AttemptResult> attempt) {
        TypedGuard<AttemptResult> breaker = breakers.computeIfAbsent(host, this::breaker);
        try {
            return breaker.get(() -> {
                AttemptResult result = attempt.get();
                if (failsTheHost(result)) {
                    throw new HostFailure(result);
                }
                return result;
            });
        } catch (HostFailure failure) {
            return failure.result;
        } catch (CircuitBreakerOpenException e) {
            return new AttemptResult.Failed(AttemptResult.Kind.CIRCUIT_OPEN, null);
        }
    }

    private TypedGuard<AttemptResult> breaker(String host) {
        return TypedGuard.create(AttemptResult.class)
                .withDescription("target host " + host)
                .withCircuitBreaker()
                .requestVolumeThreshold(breakerSettings.requestVolumeThreshold())
                .failureRatio(breakerSettings.failureRatio())
                .delay(breakerSettings.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .when(HostFailure.class::isInstance)
                .onStateChange(state -> LOG.infof("Circuit breaker of target host %s is now %s", host, state))
                .done()
                .build();
    }

    /** 5xx, no connection, no answer: the host is in trouble. A 429 is the host working as meant. */
    static boolean failsTheHost(AttemptResult result) {
        if (result instanceof AttemptResult.Answered answered) {
            return answered.status() >= 500;
        }
        if (result instanceof AttemptResult.Failed failed) {
            return failed.kind() == AttemptResult.Kind.CONNECT || failed.kind() == AttemptResult.Kind.TIMEOUT
                    || failed.kind() == AttemptResult.Kind.BROKEN;
        }
        return false;
    }

    private static String summary(AttemptResult result) {
        if (result instanceof AttemptResult.Answered answered) {
            return "answered " + answered.status();
        }
        if (result instanceof AttemptResult.Failed failed) {
            return failed.kind().name().toLowerCase().replace('_', ' ');
        }
        return result.toString();
    }

    /** {@code 30s}, {@code 500ms}: durations as operators write them in the configuration. */
    public static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** Thrown by an attempt that is to be made again after {@link #wait}. */
    private static final class CallAgain extends RuntimeException {
        private final Duration wait;

        CallAgain(Duration wait) {
            super(null, null, false, false);
            this.wait = wait;
        }
    }

    /** Carries a result that counts as a failure of the host through its circuit breaker. */
    private static final class HostFailure extends RuntimeException {
        private final AttemptResult result;

        HostFailure(AttemptResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /** The retry waits what the policy decided for the attempt that failed. */
    private static final class WaitAsDecided implements CustomBackoffStrategy {
        @Override
        public long nextDelayInMillis(Throwable cause) {
            return cause instanceof CallAgain again ? again.wait.toMillis() : 0;
        }
    }
}
