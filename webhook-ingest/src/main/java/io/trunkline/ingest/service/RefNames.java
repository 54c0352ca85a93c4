package io.trunkline.ingest.service;

import java.util.regex.Pattern;

/**
 * Branch and tag names as git allows them ({@code git check-ref-format}): a name git would refuse
 * (a space, {@code ..}, a control character, {@code ~^:?*[\}, a component starting with a dot or
 * ending in {@code .lock}, ...) cannot come from a real push, so the delivery is refused as
 * malformed. Anything git allows, slashes, unicode and {@code %2F} included, is passed on verbatim:
 * consumers encode names where they put them into URLs.
 */
final class RefNames {

    /** Far above what Bitbucket allows; keeps a signed but absurd name out of the database and the topic. */
    static final int MAX_LENGTH = 1024;

    private static final Pattern FORBIDDEN = Pattern.compile("[\\x00-\\x20\\x7f~^:?*\\[\\\\]|\\.\\.|@\\{|//");

    private RefNames() {
    }

    /** @throws InvalidPayloadException naming {@code field}, never the name */
    static String check(String name, String field) {
        if (name.length() > MAX_LENGTH) {
            throw new InvalidPayloadException(field + " is longer than " + MAX_LENGTH + " characters");
        }
        if (!isValid(name)) {
            throw new InvalidPayloadException(field + " is not a valid git ref name");
        }
        return name;
    }

    static boolean isValid(String name) {
        if (name.isEmpty() || name.equals("@") || name.startsWith("/") || name.endsWith("/") || name.endsWith(".")
                || FORBIDDEN.matcher(name).find()) {
            return false;
        }
        for (String component : name.split("/")) {
            if (component.startsWith(".") || component.endsWith(".lock")) {
                return false;
            }
        }
        return true;
    }
}
