package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static CronSchedule cron(String expression) {
        return CronSchedule.parse(expression).orElseThrow();
    }

    @Test
    void fieldsListsRangesStepsAndNames() {
        CronSchedule schedule = cron("0,30 9-17/4 * JAN-MAR mon-fri");
        assertThat(schedule.matches(LocalDateTime.parse("2026-01-05T09:00"))).isTrue();
        assertThat(schedule.matches(LocalDateTime.parse("2026-01-05T13:30"))).isTrue();
        assertThat(schedule.matches(LocalDateTime.parse("2026-01-05T11:00"))).as("9, 13, 17 only").isFalse();
        assertThat(schedule.matches(LocalDateTime.parse("2026-01-04T09:00"))).as("a Sunday").isFalse();
        assertThat(schedule.matches(LocalDateTime.parse("2026-04-06T09:00"))).as("April").isFalse();
        assertThat(cron("*/15 * * * *").timesOn(LocalDate.parse("2026-01-01"))).hasSize(96);
    }

    @Test
    void sundayIsZeroAndSeven() {
        assertThat(cron("0 0 * * 0").firesOn(LocalDate.parse("2026-03-29"))).isTrue();
        assertThat(cron("0 0 * * 7").firesOn(LocalDate.parse("2026-03-29"))).isTrue();
        assertThat(cron("0 0 * * 7").firesOn(LocalDate.parse("2026-03-30"))).isFalse();
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEitherAsInVixieCron() {
        CronSchedule firstOrFriday = cron("0 0 1 * FRI");
        assertThat(firstOrFriday.firesOn(LocalDate.parse("2026-04-01"))).as("the 1st, a Wednesday").isTrue();
        assertThat(firstOrFriday.firesOn(LocalDate.parse("2026-04-03"))).as("a Friday").isTrue();
        assertThat(firstOrFriday.firesOn(LocalDate.parse("2026-04-02"))).isFalse();
        assertThat(cron("0 0 */2 * *").firesOn(LocalDate.parse("2026-04-03"))).isTrue();
        assertThat(cron("0 0 */2 * *").firesOn(LocalDate.parse("2026-04-02"))).isFalse();
    }

    @Test
    void invalidExpressionsAreRefused() {
        for (String invalid : new String[] {null, "", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *",
                "* * * 13 *", "* * * * 8", "5-1 * * * *", "*/0 * * * *", "a * * * *", "1- * * * *", "@daily"}) {
            assertThat(CronSchedule.parse(invalid)).as(String.valueOf(invalid)).isEmpty();
        }
    }
}
