package io.trunkline.e2e.faults;

import io.trunkline.infra.test.Fixtures;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One Bitbucket Cloud {@code repo:push} of a new commit to {@code master}, to a repository of its own
 * (so no push supersedes another), and what the suite expects of it.
 *
 * @param targetPath where the repository's staging target lives on the {@link DeployTarget}
 */
record Push(String workspace, String slug, String commit, String targetPath, Expected expected, byte[] body) {

    static final String WORKSPACE = "faults";
    private static final String TEMPLATE = new String(Fixtures.bytes("bitbucket-cloud/go-scm/push.json"), StandardCharsets.UTF_8);
    private static final String TEMPLATE_COMMIT = "141977fedf5cf35aa290ac87d4b5177ac4cd9de1";
    private static final String TEMPLATE_REPOSITORY_UUID = "bc771cbf-829e-4c4b-b71f-a0eb3ac2b860";

    /** What a push should come to. */
    enum Expected {
        /** Exactly one successful call to the target and a SUCCESSFUL commit status. */
        DEPLOYED,
        /**
         * A target that never answers and is not idempotent: exactly one call and a FAILED commit
         * status saying the outcome is unknown.
         */
        FAILED_OUTCOME_UNKNOWN
    }

    /** The {@code index}th push of a scenario, to repository {@code faults/<scenario>-<index>}. */
    static Push of(String scenario, int index, Expected expected) {
        String slug = scenario + "-" + index;
        String commit = sha1(WORKSPACE + "/" + slug);
        String path = (expected == Expected.DEPLOYED ? DeployTarget.DEPLOY_PATH : DeployTarget.HANG_PATH) + "{commit}";
        byte[] body = TEMPLATE
                .replace("brydzewski/foo", WORKSPACE + "/" + slug)
                .replace("\"name\": \"foo\"", "\"name\": \"" + slug + "\"")
                .replace(TEMPLATE_REPOSITORY_UUID, UUID.nameUUIDFromBytes(slug.getBytes(StandardCharsets.UTF_8)).toString())
                .replace(TEMPLATE_COMMIT, commit)
                .getBytes(StandardCharsets.UTF_8);
        return new Push(WORKSPACE, slug, commit, path, expected, body);
    }

    String repository() {
        return workspace + "/" + slug;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
