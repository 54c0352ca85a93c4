package io.trunkline.promotion.service;

import java.util.regex.Pattern;

/** Shell-style patterns for tag names: {@code *} any run of characters, {@code ?} one character. */
public final class GlobPattern {

    private GlobPattern() {
    }

    public static boolean matches(String glob, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.matches(regex.toString(), value);
    }
}
