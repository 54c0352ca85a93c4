package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Freeze windows across the daylight-saving changes of 2026: Europe/Berlin on 29 March (02:00 CET → 03:00
 * CEST) and 25 October (03:00 CEST → 02:00 CET), America/New_York on 8 March (02:00 EST → 03:00 EDT) and
 * 1 November (02:00 EDT → 01:00 EST).
 */
class FreezeCalendarTest {

    private static FreezeWindow cron(String cron, String duration, String zone) {
        return new FreezeWindow(null, cron, duration, null, null, zone);
    }

    private static FreezeWindow period(String start, String end, String zone) {
        return new FreezeWindow("release", null, null, start, end, zone);
    }

    private static Optional<Instant> frozenUntil(String at, FreezeWindow... windows) {
        return FreezeCalendar.of(List.of(windows)).frozenAt(Instant.parse(at)).map(FreezeCalendar.Frozen::until);
    }

    @Nested
    class EuropeBerlin {

        private static final String ZONE = "Europe/Berlin";
        private final FreezeWindow weekend = cron("0 18 * * FRI", "62h", ZONE);
        private final FreezeWindow nightly = cron("30 2 * * *", "1h", ZONE);

        @Test
        void aWeekendFreezeSpanningTheSpringChangeLastsItsElapsedDuration() {
            // Friday 27 March 18:00 CET is 17:00Z; 62 hours later is Monday 30 March 07:00Z (09:00 CEST)
            assertThat(frozenUntil("2026-03-27T16:59:59Z", weekend)).isEmpty();
            assertThat(frozenUntil("2026-03-27T17:00:00Z", weekend)).contains(Instant.parse("2026-03-30T07:00:00Z"));
            assertThat(frozenUntil("2026-03-29T01:30:00Z", weekend)).contains(Instant.parse("2026-03-30T07:00:00Z"));
            assertThat(frozenUntil("2026-03-30T06:59:59Z", weekend)).isPresent();
            assertThat(frozenUntil("2026-03-30T07:00:00Z", weekend)).isEmpty();
        }

        @Test
        void aCronStartKeepsItsWallClockTimeInSummerAndWinter() {
            // Friday 3 April 18:00 CEST is 16:00Z
            assertThat(frozenUntil("2026-04-03T15:59:59Z", weekend)).isEmpty();
            assertThat(frozenUntil("2026-04-03T16:00:00Z", weekend)).contains(Instant.parse("2026-04-06T06:00:00Z"));
            // Friday 23 October 18:00 CEST is 16:00Z; 62 hours later, after the autumn change, is 06:00Z (07:00 CET)
            assertThat(frozenUntil("2026-10-25T12:00:00Z", weekend)).contains(Instant.parse("2026-10-26T06:00:00Z"));
            // Friday 30 October 18:00 CET is 17:00Z
            assertThat(frozenUntil("2026-10-30T16:30:00Z", weekend)).isEmpty();
            assertThat(frozenUntil("2026-10-30T17:00:00Z", weekend)).contains(Instant.parse("2026-11-02T07:00:00Z"));
        }

        @Test
        void aStartInTheSkippedSpringHourHappensRightAfterIt() {
            // the day before: 02:30 CET is 01:30Z
            assertThat(frozenUntil("2026-03-28T01:45:00Z", nightly)).contains(Instant.parse("2026-03-28T02:30:00Z"));
            // 29 March has no 02:30: the window starts at 03:30 CEST, 01:30Z
            assertThat(frozenUntil("2026-03-29T01:15:00Z", nightly)).isEmpty();
            assertThat(frozenUntil("2026-03-29T01:30:00Z", nightly)).contains(Instant.parse("2026-03-29T02:30:00Z"));
            // the day after: 02:30 CEST is 00:30Z
            assertThat(frozenUntil("2026-03-30T00:30:00Z", nightly)).contains(Instant.parse("2026-03-30T01:30:00Z"));
        }

        @Test
        void aStartInTheRepeatedAutumnHourHappensOnce() {
            // 25 October shows 02:30 twice: 00:30Z (CEST) starts the window, 01:30Z (CET) does not start another
            assertThat(frozenUntil("2026-10-25T00:29:00Z", nightly)).isEmpty();
            assertThat(frozenUntil("2026-10-25T01:00:00Z", nightly)).contains(Instant.parse("2026-10-25T01:30:00Z"));
            assertThat(frozenUntil("2026-10-25T01:45:00Z", nightly)).isEmpty();
            // the day after: 02:30 CET is 01:30Z
            assertThat(frozenUntil("2026-10-26T01:45:00Z", nightly)).contains(Instant.parse("2026-10-26T02:30:00Z"));
        }

        @Test
        void aPeriodAcrossTheAutumnChangeEndsAtItsLocalEnd() {
            // 22:00 CEST is 20:00Z; 04:00 CET the next morning is 03:00Z: seven real hours
            FreezeWindow release = period("2026-10-24T22:00", "2026-10-25T04:00", ZONE);
            assertThat(frozenUntil("2026-10-24T19:59:59Z", release)).isEmpty();
            assertThat(frozenUntil("2026-10-24T20:00:00Z", release)).contains(Instant.parse("2026-10-25T03:00:00Z"));
            assertThat(frozenUntil("2026-10-25T02:59:59Z", release)).isPresent();
            assertThat(frozenUntil("2026-10-25T03:00:00Z", release)).isEmpty();
        }

        @Test
        void touchingWindowsFreezeAsOne() {
            // Monday 30 March 08:00 CEST (06:00Z) starts a 2h window inside the weekend's, ending 08:00Z
            FreezeWindow mondayMorning = cron("0 8 * * MON", "2h", ZONE);
            assertThat(frozenUntil("2026-03-28T12:00:00Z", weekend, mondayMorning))
                    .contains(Instant.parse("2026-03-30T08:00:00Z"));
            assertThat(FreezeCalendar.of(List.of(weekend, mondayMorning)).frozenAt(Instant.parse("2026-03-28T12:00:00Z"))
                    .orElseThrow().window()).isEqualTo("cron 0 18 * * FRI for 62h, Europe/Berlin");
        }
    }

    @Nested
    class AmericaNewYork {

        private static final String ZONE = "America/New_York";

        @Test
        void aWeekendFreezeSpanningTheSpringChangeLastsItsElapsedDuration() {
            // Friday 6 March 17:00 EST is 22:00Z; 64 hours later is Monday 9 March 14:00Z (10:00 EDT)
            FreezeWindow weekend = cron("0 17 * * FRI", "64h", ZONE);
            assertThat(frozenUntil("2026-03-08T12:00:00Z", weekend)).contains(Instant.parse("2026-03-09T14:00:00Z"));
            assertThat(frozenUntil("2026-03-09T14:00:00Z", weekend)).isEmpty();
            // Friday 13 March 17:00 EDT is 21:00Z
            assertThat(frozenUntil("2026-03-13T20:59:59Z", weekend)).isEmpty();
            assertThat(frozenUntil("2026-03-13T21:00:00Z", weekend)).contains(Instant.parse("2026-03-16T13:00:00Z"));
        }

        @Test
        void aStartInTheSkippedSpringHourHappensRightAfterIt() {
            // 8 March has no 02:30: 03:30 EDT is 07:30Z
            FreezeWindow nightly = cron("30 2 * * *", "1h", ZONE);
            assertThat(frozenUntil("2026-03-08T07:29:59Z", nightly)).isEmpty();
            assertThat(frozenUntil("2026-03-08T07:30:00Z", nightly)).contains(Instant.parse("2026-03-08T08:30:00Z"));
        }

        @Test
        void aStartInTheRepeatedAutumnHourHappensOnce() {
            // 1 November shows 01:30 twice: 05:30Z (EDT) starts the window, 06:30Z (EST) does not
            FreezeWindow nightly = cron("30 1 * * *", "30m", ZONE);
            assertThat(frozenUntil("2026-11-01T05:45:00Z", nightly)).contains(Instant.parse("2026-11-01T06:00:00Z"));
            assertThat(frozenUntil("2026-11-01T06:40:00Z", nightly)).isEmpty();
            // the day after: 01:30 EST is 06:30Z
            assertThat(frozenUntil("2026-11-02T06:40:00Z", nightly)).contains(Instant.parse("2026-11-02T07:00:00Z"));
        }

        @Test
        void aPeriodAcrossTheSpringChangeEndsAtItsLocalEnd() {
            // 20:00 EST is 01:00Z; 08:00 EDT the next morning is 12:00Z: eleven real hours
            FreezeWindow release = period("2026-03-07T20:00", "2026-03-08T08:00", ZONE);
            assertThat(frozenUntil("2026-03-08T00:59:59Z", release)).isEmpty();
            assertThat(frozenUntil("2026-03-08T01:00:00Z", release)).contains(Instant.parse("2026-03-08T12:00:00Z"));
            assertThat(frozenUntil("2026-03-08T12:00:00Z", release)).isEmpty();
        }
    }

    @Test
    void invalidWindowsNameTheFieldAtFault() {
        assertThat(problemField(cron("0 18 * * FRI", "62h", "Mars/Olympus"))).isEqualTo("zone");
        assertThat(problemField(cron("0 18 * * FRI", "62h", null))).isEqualTo("zone");
        assertThat(problemField(cron("0 18 * * FRI", "62h", "CET"))).as("not an IANA name").isEqualTo("zone");
        assertThat(problemField(cron("0 25 * * FRI", "62h", "Europe/Berlin"))).isEqualTo("cron");
        assertThat(problemField(cron("0 18 * FRI", "62h", "Europe/Berlin"))).isEqualTo("cron");
        assertThat(problemField(cron("0 18 * * FRI", "soon", "Europe/Berlin"))).isEqualTo("duration");
        assertThat(problemField(cron("0 18 * * FRI", null, "Europe/Berlin"))).isEqualTo("duration");
        assertThat(problemField(period("2026-12-23 18:00", "2027-01-04T08:00", "Europe/Berlin"))).isEqualTo("start");
        assertThat(problemField(period("2026-12-23T18:00", null, "Europe/Berlin"))).isEqualTo("end");
        assertThat(problemField(period("2026-12-23T18:00", "2026-12-23T17:00", "Europe/Berlin"))).isEqualTo("end");
        assertThat(problemField(new FreezeWindow(null, "0 18 * * FRI", "1h", "2026-12-23T18:00", null, "UTC")))
                .isEqualTo("start");
        assertThat(FreezeCalendar.problem(period("2026-12-23T18:00", "2027-01-04T08:00", "Europe/Berlin"),
                new ArrayList<>())).isEmpty();
        assertThat(FreezeCalendar.problem(cron("0 18 * * 5", "62h", "UTC"), new ArrayList<>())).isEmpty();
    }

    private static String problemField(FreezeWindow window) {
        List<String> field = new ArrayList<>();
        assertThat(FreezeCalendar.problem(window, field)).isPresent();
        return field.get(0);
    }
}
