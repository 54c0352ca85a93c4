package io.trunkline.promotion.service;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron expression, as crontab writes it: {@code minute hour day-of-month month day-of-week}.
 * Each field is {@code *}, a number, a range {@code a-b}, a step {@code * /n} or {@code a-b/n}, or a
 * comma-separated list of those; months may be {@code JAN}–{@code DEC}, days of week {@code SUN}–{@code SAT}
 * or {@code 0}–{@code 7} (both 0 and 7 are Sunday). As in Vixie cron, when both day fields are restricted a
 * day matches either. It names wall-clock times; which instants they are is the caller's (see
 * {@link FreezeCalendar}). Pure.
 */
public final class CronSchedule {

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
            Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
            Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4,
            "FRI", 5, "SAT", 6);

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;

    private CronSchedule(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek,
            boolean dayOfMonthRestricted, boolean dayOfWeekRestricted) {
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.dayOfMonthRestricted = dayOfMonthRestricted;
        this.dayOfWeekRestricted = dayOfWeekRestricted;
    }

    /** The schedule {@code expression} writes; empty when it is not a valid five-field cron expression. */
    public static Optional<CronSchedule> parse(String expression) {
        if (expression == null) {
            return Optional.empty();
        }
        String[] fields = expression.trim().split("\\s+");
        if (fields.length != 5) {
            return Optional.empty();
        }
        try {
            BitSet daysOfWeek = field(fields[4], 0, 7, DAYS);
            if (daysOfWeek.get(7)) {
                daysOfWeek.set(0);
                daysOfWeek.clear(7);
            }
            return Optional.of(new CronSchedule(field(fields[0], 0, 59, Map.of()), field(fields[1], 0, 23, Map.of()),
                    field(fields[2], 1, 31, Map.of()), field(fields[3], 1, 12, MONTHS), daysOfWeek,
                    !fields[2].startsWith("*"), !fields[4].startsWith("*")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the schedule fires on that day at all. */
    public boolean firesOn(LocalDate date) {
        if (!months.get(date.getMonthValue())) {
            return false;
        }
        boolean dayOfMonth = daysOfMonth.get(date.getDayOfMonth());
        boolean dayOfWeek = daysOfWeek.get(date.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : date.getDayOfWeek().getValue());
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dayOfMonth || dayOfWeek;
        }
        return dayOfMonth && dayOfWeek;
    }

    /** Whether the schedule fires at that wall-clock minute. */
    public boolean matches(LocalDateTime time) {
        return firesOn(time.toLocalDate()) && hours.get(time.getHour()) && minutes.get(time.getMinute());
    }

    /** The wall-clock times the schedule fires at on {@code date}, earliest first (none if it does not fire that day). */
    public List<LocalDateTime> timesOn(LocalDate date) {
        List<LocalDateTime> times = new ArrayList<>();
        if (!firesOn(date)) {
            return times;
        }
        for (int hour = hours.nextSetBit(0); hour >= 0; hour = hours.nextSetBit(hour + 1)) {
            for (int minute = minutes.nextSetBit(0); minute >= 0; minute = minutes.nextSetBit(minute + 1)) {
                times.add(LocalDateTime.of(date, LocalTime.of(hour, minute)));
            }
        }
        return times;
    }

    private static BitSet field(String text, int min, int max, Map<String, Integer> names) {
        BitSet values = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, Map.of());
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] bounds = range.split("-", -1);
                if (bounds.length != 2) {
                    throw new IllegalArgumentException(part);
                }
                from = number(bounds[0], min, max, names);
                to = number(bounds[1], min, max, names);
                if (from > to) {
                    throw new IllegalArgumentException(part);
                }
            } else {
                from = number(range, min, max, names);
                to = slash >= 0 ? max : from;
            }
            for (int value = from; value <= to; value += step) {
                values.set(value);
            }
        }
        return values;
    }

    private static int number(String text, int min, int max, Map<String, Integer> names) {
        Integer named = names.get(text.toUpperCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        if (!text.matches("\\d{1,2}")) {
            throw new IllegalArgumentException(text);
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            throw new IllegalArgumentException(text);
        }
        return value;
    }
}
