package io.trunkline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end benchmark in the build: by default its short form (10 s at 50 webhooks/s, after a short warm-up),
 * which asserts what must hold at any speed: every accepted webhook deployed exactly once and reported SUCCESSFUL
 * to Bitbucket, none answered but 202 or 503 (refused when it cannot be published in time, which a busy machine
 * causes and Bitbucket answers by delivering again), and every request of the floor accepted and delivered once. It asserts no latency: figures from a shared 2-core
 * machine are indicative. With {@code -Dbench.rate=100 -Dbench.seconds=60 -Dbench.repositories=100} it is the full
 * benchmark (bench/README.md).
 */
class EndToEndBenchmarkIT {

    private static final Logger LOG = Logger.getLogger(EndToEndBenchmarkIT.class);

    @Test
    void everyWebhookIsDeployedOnceAndReported() throws IOException {
        EndToEndBenchmark.Outcome outcome = EndToEndBenchmark.run(BenchSettings.fromSystemProperties());
        LOG.info("\n" + outcome.report());

        for (PhaseResult phase : outcome.knee().isEmpty()
                ? java.util.List.of(outcome.floor(), outcome.trunkline())
                : java.util.stream.Stream.concat(java.util.stream.Stream.of(outcome.floor(), outcome.trunkline()),
                        outcome.knee().stream()).toList()) {
            // a webhook is accepted (202) or refused with 503 when it cannot be published in time (Bitbucket delivers
            // it again; on a busy machine it happens): never answered anything else
            assertThat(phase.otherStatus()).as("%s at %d/s: answers other than 202 and 503", phase.name(), phase.rate())
                    .isZero();
            assertThat(phase.measuredAccepted()).as("%s at %d/s: measured requests accepted", phase.name(), phase.rate())
                    .isPositive();
            assertThat(phase.lost()).as("%s at %d/s: accepted, never deployed", phase.name(), phase.rate()).isZero();
            assertThat(phase.duplicates()).as("%s at %d/s: deployed more than once", phase.name(), phase.rate()).isZero();
            assertThat(phase.toTarget().count()).as("%s: accepted measured requests that reached the target", phase.name())
                    .isEqualTo(phase.measuredAccepted());
        }
        PhaseResult trunkline = outcome.trunkline();
        assertThat(trunkline.missingStatus()).as("accepted webhooks without a SUCCESSFUL commit status").isZero();
        assertThat(trunkline.toFinalStatus().count()).isEqualTo(trunkline.measuredAccepted());
        assertThat(outcome.floor().accepted()).as("the floor accepts every request").isEqualTo(outcome.floor().sent());
        assertThat(trunkline.cpuMillis().get("webhook-ingest")).as("webhook-ingest's CPU time, read from /proc").isPositive();

        assertThat(Files.readString(outcome.reportFile()))
                .contains("| Trunkline: webhook → deploy call |", "| floor: request → target call |",
                        "lag back to 0", "CPU ms per webhook");
        assertThat(Files.readString(outcome.histogramFile())).startsWith("<svg").contains("Trunkline", "floor");
    }
}
