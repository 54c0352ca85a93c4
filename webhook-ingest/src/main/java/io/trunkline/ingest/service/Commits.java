package io.trunkline.ingest.service;

import java.util.regex.Pattern;

/** Commit hashes as Bitbucket sends them: 40 hexadecimal characters, or abbreviated (Cloud pull requests: 12). */
final class Commits {

    static final int FULL_LENGTH = 40;

    private static final Pattern FULL = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern FULL_OR_ABBREVIATED = Pattern.compile("[0-9a-f]{7,40}");

    private Commits() {
    }

    /** @throws InvalidPayloadException naming {@code field} when {@code hash} is not a full commit hash */
    static String full(String hash, String field) {
        if (!FULL.matcher(hash).matches()) {
            throw new InvalidPayloadException(field + " must be a 40-character commit hash");
        }
        return hash;
    }

    /** @throws InvalidPayloadException naming {@code field} when {@code hash} is not a commit hash of 7 to 40 characters */
    static String fullOrAbbreviated(String hash, String field) {
        if (!FULL_OR_ABBREVIATED.matcher(hash).matches()) {
            throw new InvalidPayloadException(field + " must be a commit hash of 7 to 40 hexadecimal characters");
        }
        return hash;
    }

    static boolean isAbbreviated(String hash) {
        return hash.length() < FULL_LENGTH;
    }
}
