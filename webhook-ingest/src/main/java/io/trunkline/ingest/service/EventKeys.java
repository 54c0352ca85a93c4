package io.trunkline.ingest.service;

import java.util.regex.Pattern;

/** Event keys as they may appear in answers, logs and metrics, where the header's value is not to be trusted. */
public final class EventKeys {

    private static final Pattern PLAIN = Pattern.compile("[a-z_]{1,32}(:[a-z_]{1,32}){1,3}");

    private EventKeys() {
    }

    /** "event key 'repo:fork'", or "this event key" for one that is not a plain Bitbucket-style key. */
    public static String describe(String eventKey) {
        return isPlain(eventKey) ? "event key '" + eventKey + "'" : "this event key";
    }

    public static boolean isPlain(String eventKey) {
        return eventKey != null && PLAIN.matcher(eventKey).matches();
    }
}
