package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trunkline.events.DeploymentState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunDeadlineTest {

    private static final RunDeadline HOUR = new RunDeadline(Duration.ofHours(1));
    private static final Instant NEWS = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void aDispatchedDeploymentIsGivenUpOneDeadlineAfterItsLatestNews() {
        for (DeploymentState state : new DeploymentState[] {DeploymentState.QUEUED, DeploymentState.IN_PROGRESS}) {
            Instant giveUpAt = HOUR.giveUpAt(state, true, NEWS);

            assertThat(giveUpAt).isEqualTo(Instant.parse("2026-11-24T11:00:00Z"));
            assertThat(HOUR.expired(state, true, giveUpAt, giveUpAt.minusMillis(1))).isFalse();
            assertThat(HOUR.expired(state, true, giveUpAt, giveUpAt)).isTrue();
            assertThat(HOUR.expired(state, true, giveUpAt, giveUpAt.plusSeconds(5))).isTrue();
        }
    }

    @Test
    void deploymentsNotHandedToDeployServiceNeverExpire() {
        Instant longAfter = NEWS.plus(Duration.ofDays(30));

        assertThat(HOUR.giveUpAt(DeploymentState.QUEUED, false, NEWS)).isNull();
        assertThat(HOUR.giveUpAt(DeploymentState.WAITING_APPROVAL, false, NEWS)).isNull();
        assertThat(HOUR.expired(DeploymentState.QUEUED, false, NEWS, longAfter)).isFalse();
        assertThat(HOUR.expired(DeploymentState.WAITING_APPROVAL, false, NEWS, longAfter)).isFalse();
        assertThat(HOUR.expired(DeploymentState.IN_PROGRESS, true, null, longAfter)).isFalse();
    }

    @Test
    void finishedDeploymentsNeverExpire() {
        Instant longAfter = NEWS.plus(Duration.ofDays(30));
        for (DeploymentState state : DeploymentState.values()) {
            if (state.isFinal()) {
                assertThat(HOUR.giveUpAt(state, true, NEWS)).as(state.name()).isNull();
                assertThat(HOUR.expired(state, true, NEWS, longAfter)).as(state.name()).isFalse();
            }
        }
    }

    @Test
    void theReasonNamesTheDeadline() {
        assertThat(HOUR.reason()).isEqualTo("no news from deploy-service within 1h");
        assertThat(new RunDeadline(Duration.ofSeconds(2)).reason()).isEqualTo("no news from deploy-service within 2s");
        assertThat(new RunDeadline(Duration.ofMinutes(90)).reason()).isEqualTo("no news from deploy-service within 1h30m");
    }

    @Test
    void theDeadlineMustBePositive() {
        assertThatThrownBy(() -> new RunDeadline(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RunDeadline(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsReadAsTheyAreConfigured() {
        assertThat(DurationText.of(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(DurationText.of(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(DurationText.of(Duration.ofSeconds(3661))).isEqualTo("1h1m1s");
        assertThat(DurationText.of(Duration.ZERO)).isEqualTo("0s");
    }
}
