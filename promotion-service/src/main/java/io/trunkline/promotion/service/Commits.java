package io.trunkline.promotion.service;

import java.util.regex.Pattern;

/** Commit hashes as this service reads and writes them. Pure. */
public final class Commits {

    /** Git's SHA-1 hashes have 40 hexadecimal characters, SHA-256 ones 64; anything shorter is abbreviated. */
    private static final Pattern FULL = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern PREFIX = Pattern.compile("[0-9a-f]{7,64}");
    private static final int SHORT_LENGTH = 12;

    private Commits() {
    }

    /** The first 12 characters, as Bitbucket shows hashes; null as {@code none}. */
    public static String shortened(String commit) {
        return commit == null ? "none" : commit.length() > SHORT_LENGTH ? commit.substring(0, SHORT_LENGTH) : commit;
    }

    /** Whether {@code commit} is a full hash rather than an abbreviation (Cloud pull requests carry 12 characters). */
    public static boolean isFull(String commit) {
        return commit != null && FULL.matcher(commit).matches();
    }

    /** Whether {@code commit} can name a commit: 7 to 64 lower-case hexadecimal characters. */
    public static boolean isHashOrPrefix(String commit) {
        return commit != null && PREFIX.matcher(commit).matches();
    }
}
