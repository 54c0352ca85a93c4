package io.trunkline.e2e.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.logging.Logger;

/**
 * One scenario from start to verdict: its repositories configured, its stream of pushes sent, the
 * fault injected by the test in between, then the wait until every accepted push has a final commit
 * status (or nothing has happened for a while), and the judgement of each push.
 */
final class ScenarioRun {

    private static final Logger LOG = Logger.getLogger(ScenarioRun.class);
    /** After the last final status, how long to keep watching for a late second deploy call. */
    private static final Duration WATCH_FOR_LATE_CALLS = Duration.ofSeconds(3);

    private final FaultySystem system;
    private final FaultSuiteSettings settings;
    private final String id;
    private final String name;
    private final List<Push> pushes;
    private final List<String> remarks = new CopyOnWriteArrayList<>();
    private final List<ScenarioResult.Mark> timeline = new CopyOnWriteArrayList<>();
    private boolean outcomeUnknownAllowed;
    private WebhookStream stream;

    private ScenarioRun(FaultySystem system, FaultSuiteSettings settings, String id, String name, List<Push> pushes) {
        this.system = system;
        this.settings = settings;
        this.id = id;
        this.name = name;
        this.pushes = pushes;
    }

    /**
     * A scenario whose stream has the settings' number of pushes to repositories {@code faults/<key>-<n>};
     * {@code expectation} decides, push by push, what each should come to.
     */
    static ScenarioRun of(FaultySystem system, FaultSuiteSettings settings, String id, String name, String key,
            Function<Integer, Push.Expected> expectation) {
        List<Push> pushes = IntStream.range(0, settings.pushesPerStream())
                .mapToObj(index -> Push.of(key, index, expectation.apply(index))).toList();
        return new ScenarioRun(system, settings, id, name, pushes);
    }

    /**
     * deploy-service may be stopped in the middle of a call: a push whose commit status is FAILED
     * with the outcome unknown, after at most one call, is then what the contract asks for.
     */
    ScenarioRun allowingOutcomeUnknown() {
        outcomeUnknownAllowed = true;
        return this;
    }

    List<Push> pushes() {
        return pushes;
    }

    /**
     * Plays the scenario: configures the repositories, starts the stream, lets {@code fault} break
     * the system (it starts right away; {@link #awaitFaultPoint()} waits for mid-stream) and repair
     * it, then waits for and judges the outcome. A fault that throws is a remark of the result, and
     * the pushes already sent are judged all the same.
     */
    ScenarioResult play(Consumer<ScenarioRun> fault) {
        try {
            start();
            fault.accept(this);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Scenario %s: the fault could not be played out", id);
            remarks.add("the fault could not be played out: " + firstLine(String.valueOf(e)));
        }
        if (stream == null) {
            return new ScenarioResult(id, name, Instant.now(), List.of(), null, List.copyOf(timeline), List.copyOf(remarks));
        }
        return finish();
    }

    /** Configures every repository, then starts the stream. */
    private void start() {
        LOG.infof("Scenario %s, %s: configuring %d repositories", id, name, pushes.size());
        pushes.forEach(system::configure);
        LOG.infof("Scenario %s, %s: streaming %d pushes at %d/s", id, name, pushes.size(), settings.ratePerSecond());
        stream = WebhookStream.start(pushes, settings.ratePerSecond(), system.services()::webhookUrls,
                FaultySystem.WEBHOOK_SECRET, settings.resendFor());
    }

    /** Waits until the stream has sent the pushes that come before the fault. */
    void awaitFaultPoint() {
        int count = settings.pushesBeforeFault();
        await("the first " + count + " pushes sent").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20)).until(() -> stream.sentCount() >= count);
        mark(stream.sentCount() + " of " + pushes.size() + " pushes sent");
    }

    /** Waits until the target has received a call for {@code push}'s commit. */
    void awaitDeployCall(Push push) {
        await("a deploy call for " + push.repository()).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> !system.target().callsFor(push.commit()).isEmpty());
    }

    /** A check that belongs to the scenario (a service coming back, ...). */
    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    /** Runs a check that belongs to the scenario; a failure becomes a remark of the result. */
    void check(String what, Check check) {
        try {
            check.run();
        } catch (Exception | AssertionError e) {
            LOG.warnf("Scenario %s: %s: %s", id, what, e.getMessage());
            remarks.add(what + ": " + firstLine(e.getMessage()));
        }
    }

    /** Notes something wrong that is not about one push (it fails the scenario); safe from any thread. */
    void remark(String remark) {
        LOG.warnf("Scenario %s: %s", id, remark);
        remarks.add(remark);
    }

    /** Notes a step of the fault (e.g. "broker stopped") on the scenario's timeline, which the report shows. */
    void mark(String step) {
        LOG.infof("Scenario %s: %s", id, step);
        timeline.add(new ScenarioResult.Mark(Instant.now(), step));
    }

    /**
     * Waits for the outcome of every push: until each delivery is accepted or given up and each
     * accepted one has a final commit status, or until nothing has happened for the settings' quiet
     * limit; then watches a few seconds more for late duplicate calls and judges each push.
     */
    private ScenarioResult finish() {
        Instant startedAt = stream.startedAt();
        boolean timedOut = false;
        try {
            await("every push of scenario " + id + " settled").atMost(settings.settleAtMost())
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        List<PushOutcome> outcomes = outcomes();
                        return outcomes.stream().allMatch(PushOutcome::isSettled) || quietFor(outcomes, settings.quietLimit());
                    });
        } catch (ConditionTimeoutException e) {
            timedOut = true;
            remarks.add("not settled within " + settings.settleAtMost().toSeconds() + " s, with activity all along");
        }
        watchForLateCalls();
        stream.close();
        check("no secret in any service log", () -> {
            List<String> leaks = system.secretsInLogs();
            if (!leaks.isEmpty()) {
                throw new AssertionError(leaks.size() + " log lines hold a secret, e.g. " + leaks.get(0));
            }
        });
        List<PushOutcome> outcomes = outcomes();
        Duration settledIn = outcomes.stream().allMatch(PushOutcome::isSettled)
                ? Duration.between(startedAt, outcomes.stream().map(PushOutcome::lastActivity).max(Instant::compareTo)
                        .orElse(startedAt))
                : null;
        if (settledIn == null && !timedOut) {
            long pending = stream.pendingCount();
            remarks.add("nothing happened for " + settings.quietLimit().toSeconds() + " s while pushes were unsettled"
                    + (pending > 0 ? " (" + pending + " deliveries still being resent)" : ""));
        }
        ScenarioResult result = new ScenarioResult(id, name, startedAt, outcomes, settledIn, List.copyOf(timeline),
                List.copyOf(remarks));
        LOG.infof("Scenario %s, %s: %d sent, %d accepted, %d deployed / %d calls, %d duplicates, %d lost, final: %s — %s",
                id, name, result.sent(), result.accepted(), result.deployedCalls(), result.allCalls(), result.duplicates(),
                result.lost(), result.finalStatuses(), result.passed() ? "pass" : "FAIL\n" + result.problemDetails(50));
        return result;
    }

    private void watchForLateCalls() {
        List<String> commits = pushes.stream().map(Push::commit).toList();
        int calls = system.target().callCount(commits);
        try {
            await().during(WATCH_FOR_LATE_CALLS).atMost(WATCH_FOR_LATE_CALLS.plusSeconds(2))
                    .until(() -> system.target().callCount(commits) == calls);
        } catch (ConditionTimeoutException e) {
            LOG.warnf("Scenario %s: deploy calls still arriving after every push had settled", id);
        }
    }

    private List<PushOutcome> outcomes() {
        return stream.deliveries().stream()
                .map(delivery -> PushOutcome.of(delivery, system.target(), system.bitbucket(), outcomeUnknownAllowed))
                .toList();
    }

    private static boolean quietFor(List<PushOutcome> outcomes, Duration limit) {
        Optional<Instant> last = outcomes.stream().map(PushOutcome::lastActivity).max(Instant::compareTo);
        return outcomes.stream().allMatch(outcome -> outcome.delivery().isResolved())
                && last.isPresent() && last.get().plus(limit).isBefore(Instant.now());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
