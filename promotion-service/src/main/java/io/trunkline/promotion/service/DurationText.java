package io.trunkline.promotion.service;

import java.time.Duration;

/** Durations as people and our configuration write them: {@code 1h}, {@code 30m}, {@code 1h30m}, {@code 2s}, {@code 500ms}. */
public final class DurationText {

    private DurationText() {
    }

    public static String of(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder(duration.isNegative() ? "-" : "");
        Duration rest = duration.abs();
        append(text, rest.toDays(), "d");
        append(text, rest.toHoursPart(), "h");
        append(text, rest.toMinutesPart(), "m");
        append(text, rest.toSecondsPart(), "s");
        append(text, rest.toMillisPart(), "ms");
        return Character.isDigit(text.charAt(text.length() - 1)) || text.length() > 1 ? text.toString() : "0s";
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }
}
