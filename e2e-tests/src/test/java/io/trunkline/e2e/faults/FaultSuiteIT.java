package io.trunkline.e2e.faults;

import static io.trunkline.e2e.faults.Push.Expected.DEPLOYED;
import static io.trunkline.e2e.faults.Push.Expected.FAILED_OUTCOME_UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The proof that outages are waited out and runs that lose their worker are recovered: the four
 * packaged services as processes on a broker and a PostgreSQL this suite owns, a stream of signed
 * pushes (each to a repository of its own, so none supersedes another), a fault in the middle of
 * it, and then, for every webhook: accepted (202, resent after a 503 as Bitbucket does), exactly one
 * deploy call for its commit, a final commit status at Bitbucket, no commit deployed twice.
 *
 * <p>Short form (default, part of {@code ./mvnw verify}); long form with {@code -Dfaults.long=true}
 * (see {@link FaultSuiteSettings}). The outcome table goes to {@code e2e-tests/target/fault-report.md}
 * and the log; each instance's log to {@code e2e-tests/target/fault-logs/}.
 */
class FaultSuiteIT {

    private static final Logger LOG = Logger.getLogger(FaultSuiteIT.class);
    private static final FaultSuiteSettings SETTINGS = FaultSuiteSettings.fromSystemProperties();

    private static FaultySystem system;
    private static FaultReport report;

    @BeforeAll
    static void startSystem() throws IOException {
        Path root = Path.of(System.getProperty("trunkline.root", "..")).toAbsolutePath().normalize();
        report = new FaultReport(root.resolve("e2e-tests/target/fault-report.md"), SETTINGS);
        LOG.infof("Fault suite, %s", SETTINGS.describe());
        system = FaultySystem.start(root, SETTINGS);
    }

    @AfterAll
    static void stopSystem() {
        if (report != null) {
            LOG.info("Fault suite outcome (also in e2e-tests/target/fault-report.md):\n" + report.markdown());
        }
        if (system != null) {
            system.close();
        }
    }

    @BeforeEach
    void restoreWhatAnEarlierScenarioLeftBroken() {
        system.restore();
    }

    @ParameterizedTest(name = "{0}: kill -9 {1} mid-stream, then restart it")
    @CsvSource({"1a, webhook-ingest", "1b, promotion-service", "1c, deploy-service", "1d, status-reporter"})
    void serviceKilledMidStreamLosesAndDuplicatesNothing(String id, String service) {
        ScenarioRun run = scenario(id, "kill -9 " + service + " mid-stream, restart it", "kill-" + service,
                index -> DEPLOYED);
        if (service.equals("deploy-service")) {
            run.allowingOutcomeUnknown();
        }
        assertPassed(run.play(scenario -> {
            scenario.awaitFaultPoint();
            killAndRestart(scenario, system.services().runningInstance(service));
        }));
    }

    @Test
    void deployServiceKilledWhileATargetCallHangsEndsThatRunFailedAndFreesTheEnvironment() {
        // the first push goes to a target that never answers; the others deploy normally
        ScenarioRun run = scenario("1e", "kill -9 deploy-service while a target call hangs, restart it", "kill-hanging",
                index -> index == 0 ? FAILED_OUTCOME_UNKNOWN : DEPLOYED).allowingOutcomeUnknown();
        assertPassed(run.play(scenario -> {
            scenario.awaitDeployCall(scenario.pushes().get(0));
            scenario.mark("the hanging target holds its call");
            killAndRestart(scenario, system.services().runningInstance("deploy-service"));
        }));
    }

    @Test
    void brokerStoppedMidStreamIsWaitedOut() {
        ScenarioRun run = scenario("2", "Kafka broker stopped " + SETTINGS.brokerOutage().toSeconds()
                + " s mid-stream, restarted", "broker-down", index -> DEPLOYED);
        assertPassed(run.play(scenario -> {
            scenario.awaitFaultPoint();
            system.broker().stop();
            scenario.mark("broker stopped");
            holdTheFault(SETTINGS.brokerOutage());
            system.broker().start();
            scenario.mark("broker started");
            scenario.check("every service ready again", () -> system.services().awaitRunningReady());
            scenario.mark("every service ready");
        }));
    }

    @Test
    void postgresRestartedMidStreamIsWaitedOut() {
        ScenarioRun run = scenario("3", "PostgreSQL stopped " + SETTINGS.postgresOutage().toSeconds()
                + " s mid-stream, restarted", "postgres-restart", index -> DEPLOYED);
        assertPassed(run.play(scenario -> {
            scenario.awaitFaultPoint();
            system.postgres().stop();
            scenario.mark("PostgreSQL stopped");
            holdTheFault(SETTINGS.postgresOutage());
            system.postgres().start();
            scenario.mark("PostgreSQL started");
            scenario.check("every service ready again", () -> system.services().awaitRunningReady());
            scenario.mark("every service ready");
        }));
    }

    @Test
    void failingTargetIsRetriedUntilItRecoversAndAHangingOneIsCalledOnce() {
        // every fifth push goes to a target that never answers: called once, never again, FAILED;
        // the others meet a window of 500s and deploy once it is over
        ScenarioRun run = scenario("4", "deploy target answers 500 for " + SETTINGS.targetServerErrors().toSeconds()
                + " s, then recovers; every 5th push to a target that hangs past the attempt timeout", "target-faults",
                index -> index % 5 == 2 ? FAILED_OUTCOME_UNKNOWN : DEPLOYED);
        assertPassed(run.play(scenario -> {
            scenario.awaitFaultPoint();
            system.target().answerServerErrorsFor(SETTINGS.targetServerErrors());
            scenario.mark("target answering 500 for " + SETTINGS.targetServerErrors().toSeconds() + " s");
        }));
    }

    @Test
    void bitbucketThrottlingDelaysStatusesAndDropsNone() {
        ScenarioRun run = scenario("5", "Bitbucket answers 429 for " + SETTINGS.bitbucketThrottle().toSeconds() + " s",
                "bitbucket-429", index -> DEPLOYED);
        assertPassed(run.play(scenario -> {
            scenario.awaitFaultPoint();
            system.bitbucket().throttleFor(SETTINGS.bitbucketThrottle());
            scenario.mark("Bitbucket answering 429 for " + SETTINGS.bitbucketThrottle().toSeconds() + " s");
            scenario.check("Bitbucket answered 429 to a status during the window", () ->
                    await().atMost(SETTINGS.bitbucketThrottle()).until(() -> system.bitbucket().throttledCount() > 0));
        }));
    }

    @Test
    void secondInstanceOfEachServiceSharesTheLoadAndOneOfEachStopsMidStream() {
        List<ServiceInstance> first = ServiceFleet.SERVICES.stream()
                .map(service -> system.services().runningInstance(service)).toList();
        ServiceFleet.SERVICES.forEach(system.services()::addInstance);
        system.services().awaitRunningReady();
        ScenarioRun run = scenario("6", "two instances of each service, one of each stopped (SIGTERM) mid-stream",
                "two-instances", index -> DEPLOYED);
        assertPassed(run.play(scenario -> {
            scenario.awaitFaultPoint();
            scenario.mark("SIGTERM to " + first.stream().map(ServiceInstance::label).collect(Collectors.joining(", ")));
            CompletableFuture.allOf(first.stream().map(instance -> CompletableFuture.runAsync(() -> {
                if (!instance.stop(ServiceFleet.STOP_GRACE)) {
                    scenario.remark(instance.label() + " was still running " + ServiceFleet.STOP_GRACE.toSeconds()
                            + " s after SIGTERM and had to be killed");
                }
            })).toArray(CompletableFuture[]::new)).join();
            scenario.mark("all four stopped");
        }));
    }

    private static void killAndRestart(ScenarioRun scenario, ServiceInstance instance) {
        instance.kill();
        scenario.mark(instance.label() + " killed");
        instance.start("restart after kill -9");
        scenario.check(instance.label() + " ready again after the restart",
                () -> instance.awaitReady(ServiceFleet.READY_TIMEOUT));
        scenario.mark(instance.label() + " ready again");
    }

    private static ScenarioRun scenario(String id, String name, String key, Function<Integer, Push.Expected> expectation) {
        return ScenarioRun.of(system, SETTINGS, id, name, key, expectation);
    }

    private static void assertPassed(ScenarioResult result) {
        report.add(result);
        assertThat(result.passed())
                .as("scenario %s, %s:%n%s", result.id(), result.name(), result.problemDetails(30))
                .isTrue();
    }

    /** A timed fault window: the fault lasts this long whatever the system does meanwhile. */
    private static void holdTheFault(Duration window) {
        try {
            Thread.sleep(window.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a fault window", e);
        }
    }
}
