package io.trunkline.promotion.service;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When an environment's freeze windows keep it from changing. A window is a cron start plus a duration,
 * or a start and an end, read in its IANA time zone. Daylight-saving changes are handled as people expect:
 * a cron start names a wall-clock time in the zone (18:00 stays 18:00 in summer and in winter); a start
 * that falls in the hour skipped in spring happens right after it (02:30 → 03:30), one that falls in the
 * hour repeated in autumn happens once, the first time; a duration is elapsed time (a 62h window spanning
 * the change ends 62 real hours later). Windows that overlap or touch freeze as one. Pure.
 */
public final class FreezeCalendar {

    /** How far a chain of touching windows is followed before giving up (a window that never ends). */
    private static final int MAX_CHAIN = 366;

    private final List<Window> windows;

    private FreezeCalendar(List<Window> windows) {
        this.windows = windows;
    }

    /** The calendar of validated windows. */
    public static FreezeCalendar of(List<FreezeWindow> windows) {
        List<Window> parsed = new ArrayList<>();
        if (windows != null) {
            for (FreezeWindow window : windows) {
                parsed.add(Window.parse(window).orElseThrow(() -> new IllegalArgumentException("invalid freeze window "
                        + window)));
            }
        }
        return new FreezeCalendar(parsed);
    }

    /**
     * The end of the freeze at {@code now}: when the windows containing it (and those touching them) have
     * all closed; empty when no window contains {@code now}.
     */
    public Optional<Frozen> frozenAt(Instant now) {
        Instant until = null;
        Window first = null;
        Instant at = now;
        for (int i = 0; i < MAX_CHAIN; i++) {
            Instant end = null;
            for (Window window : windows) {
                Optional<Instant> windowEnd = window.endOfPeriodContaining(at);
                if (windowEnd.isPresent() && (end == null || windowEnd.get().isAfter(end))) {
                    end = windowEnd.get();
                    if (first == null) {
                        first = window;
                    }
                }
            }
            if (end == null) {
                break;
            }
            until = end;
            at = end;
        }
        return until == null ? Optional.empty() : Optional.of(new Frozen(until, first.describe()));
    }

    /** A freeze in force: until when, and the window that started it, as people read it. */
    public record Frozen(Instant until, String window) {
    }

    /** One window, parsed. */
    sealed interface Window permits Recurring, Period {

        /** The end of this window's period that contains {@code instant}, if one does. */
        Optional<Instant> endOfPeriodContaining(Instant instant);

        String describe();

        /** The window {@code window} writes; empty when it is not a valid one. */
        static Optional<Window> parse(FreezeWindow window) {
            Optional<ZoneId> zone = zone(window.zone());
            if (zone.isEmpty()) {
                return Optional.empty();
            }
            String name = window.name() == null ? "" : "'" + window.name() + "' ";
            if (window.cron() != null) {
                Optional<CronSchedule> cron = CronSchedule.parse(window.cron());
                Optional<Duration> duration = DurationSetting.parse(window.duration());
                if (cron.isEmpty() || duration.isEmpty() || window.start() != null || window.end() != null) {
                    return Optional.empty();
                }
                return Optional.of(new Recurring(cron.get(), duration.get(), zone.get(),
                        name + "cron " + window.cron() + " for " + window.duration() + ", " + window.zone()));
            }
            Optional<LocalDateTime> start = localDateTime(window.start());
            Optional<LocalDateTime> end = localDateTime(window.end());
            if (start.isEmpty() || end.isEmpty() || window.duration() != null) {
                return Optional.empty();
            }
            Instant from = ZonedDateTime.of(start.get(), zone.get()).toInstant();
            Instant to = ZonedDateTime.of(end.get(), zone.get()).toInstant();
            if (!to.isAfter(from)) {
                return Optional.empty();
            }
            return Optional.of(new Period(from, to, name + window.start() + " to " + window.end() + ", " + window.zone()));
        }
    }

    /** Starts whenever the cron expression fires, in the zone, and lasts {@code duration}. */
    record Recurring(CronSchedule cron, Duration duration, ZoneId zone, String describe) implements Window {

        @Override
        public Optional<Instant> endOfPeriodContaining(Instant instant) {
            // a period containing the instant started at most `duration` before it; look at every local day since
            LocalDate day = instant.atZone(zone).toLocalDate().plusDays(1);
            LocalDate earliest = instant.minus(duration).atZone(zone).toLocalDate().minusDays(1);
            Instant latestEnd = null;
            for (; !day.isBefore(earliest); day = day.minusDays(1)) {
                for (LocalDateTime time : cron.timesOn(day)) {
                    Instant start = start(time);
                    Instant end = start.plus(duration);
                    if (!start.isAfter(instant) && end.isAfter(instant) && (latestEnd == null || end.isAfter(latestEnd))) {
                        latestEnd = end;
                    }
                }
            }
            return Optional.ofNullable(latestEnd);
        }

        /**
         * The instant a wall-clock start happens: in the spring gap, as much later as the gap is long; in the
         * autumn overlap, the first time only (a time seen twice on the clock starts one period).
         */
        private Instant start(LocalDateTime time) {
            return ZonedDateTime.ofLocal(time, zone, null).withEarlierOffsetAtOverlap().toInstant();
        }
    }

    /** From {@code start} to {@code end}, once. */
    record Period(Instant start, Instant end, String describe) implements Window {

        @Override
        public Optional<Instant> endOfPeriodContaining(Instant instant) {
            return !instant.isBefore(start) && instant.isBefore(end) ? Optional.of(end) : Optional.empty();
        }
    }

    /** Why a window is not valid, or empty when it is; {@code field} receives the name of the field at fault. */
    public static Optional<String> problem(FreezeWindow window, List<String> field) {
        if (zone(window.zone()).isEmpty()) {
            field.add("zone");
            return Optional.of(window.zone() == null ? "is required: an IANA time zone such as Europe/Berlin"
                    : "is not an IANA time zone (such as Europe/Berlin)");
        }
        if (window.cron() != null) {
            if (window.start() != null || window.end() != null) {
                field.add("start");
                return Optional.of("a window is either cron and duration, or start and end");
            }
            if (CronSchedule.parse(window.cron()).isEmpty()) {
                field.add("cron");
                return Optional.of("must be a five-field cron expression (minute hour day-of-month month day-of-week)");
            }
            if (DurationSetting.parse(window.duration()).isEmpty()) {
                field.add("duration");
                return Optional.of("must be a duration such as 30m, 62h or 2d");
            }
            return Optional.empty();
        }
        if (window.duration() != null) {
            field.add("duration");
            return Optional.of("applies only with cron");
        }
        if (localDateTime(window.start()).isEmpty()) {
            field.add("start");
            return Optional.of(window.start() == null ? "is required without cron: a local date-time such as 2026-12-23T18:00"
                    : "must be a local date-time such as 2026-12-23T18:00");
        }
        if (localDateTime(window.end()).isEmpty()) {
            field.add("end");
            return Optional.of(window.end() == null ? "is required with start" : "must be a local date-time such as 2027-01-04T08:00");
        }
        if (Window.parse(window).isEmpty()) {
            field.add("end");
            return Optional.of("must be after start");
        }
        return Optional.empty();
    }

    private static Optional<ZoneId> zone(String zone) {
        if (zone == null || !zone.contains("/") && !zone.equals("UTC")) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(zone));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDateTime> localDateTime(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
