package io.trunkline.promotion.service;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the configuration API takes them: one or more amounts with a unit, largest first, such as
 * {@code 30m}, {@code 72h}, {@code 1h30m}, {@code 2d} ({@code d} days of 24 hours, {@code h}, {@code m},
 * {@code s}). Pure.
 */
public final class DurationSetting {

    private static final Pattern FORMAT = Pattern.compile("(?:\\d{1,6}d)?(?:\\d{1,6}h)?(?:\\d{1,6}m)?(?:\\d{1,6}s)?");
    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    private DurationSetting() {
    }

    /** The duration {@code text} writes; empty when it is not one, or is zero. */
    public static Optional<Duration> parse(String text) {
        if (text == null || text.isEmpty() || !FORMAT.matcher(text).matches()) {
            return Optional.empty();
        }
        Duration duration = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            duration = duration.plus(switch (part.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            });
        }
        return duration.isZero() ? Optional.empty() : Optional.of(duration);
    }

    /** The duration of a setting already validated. */
    public static Duration of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a duration: " + text));
    }
}
