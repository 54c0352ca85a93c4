package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationSettingTest {

    @Test
    void amountsWithUnitsLargestFirst() {
        assertThat(DurationSetting.parse("30m")).contains(Duration.ofMinutes(30));
        assertThat(DurationSetting.parse("72h")).contains(Duration.ofHours(72));
        assertThat(DurationSetting.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(DurationSetting.parse("2d")).contains(Duration.ofDays(2));
        assertThat(DurationSetting.parse("1d2h3m4s")).contains(Duration.parse("P1DT2H3M4S"));
    }

    @Test
    void anythingElseIsNoDuration() {
        for (String invalid : new String[] {null, "", "0m", "0d0h", "30", "m", "30 m", "30min", "1m1h", "PT30M", "-5m",
                "1.5h", "9999999h"}) {
            assertThat(DurationSetting.parse(invalid)).as(String.valueOf(invalid)).isEmpty();
        }
    }
}
