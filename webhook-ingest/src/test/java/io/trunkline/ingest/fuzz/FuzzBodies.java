package io.trunkline.ingest.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.infra.test.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Bodies for the fuzzer: the fixtures as they are, the fixtures broken in random ways, and noise. */
final class FuzzBodies {

    static final List<String> FIXTURES = List.of(
            "bitbucket-cloud/go-scm/push.json", "bitbucket-cloud/go-scm/push_branch_create.json",
            "bitbucket-cloud/go-scm/push_tag_delete.json", "bitbucket-cloud/go-scm/pr_created.json",
            "bitbucket-cloud/go-scm/pr_fulfilled.json", "bitbucket-cloud/go-scm/pr_comment_created.json",
            "bitbucket-cloud/go-playground/repo-push.json", "bitbucket-cloud/go-playground/pull-request-updated.json",
            "bitbucket-dc/go-scm/push.json", "bitbucket-dc/go-scm/push_tag_create.json",
            "bitbucket-dc/go-scm/pr_open.json", "bitbucket-dc/go-scm/pr_from_ref_updated.json",
            "bitbucket-dc/go-scm/pr_deleted.json", "bitbucket-dc/go-playground/repo-refs-changed.json");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] ODD_STRINGS = {"", " ", "a/b", "../..", "%2F", "ü分支🚀", "\u0000", "x".repeat(300),
            "0".repeat(40), "sha256=", "{\"repository\":1}", "refs/heads/main"};

    private FuzzBodies() {
    }

    static byte[] fixture(String path) {
        return Fixtures.bytes(path);
    }

    /** The fixture with 1 to 4 random changes to its tree, or its text cut, nested or repeated. */
    static byte[] mutated(String path, long seed) {
        Random random = new Random(seed);
        try {
            JsonNode root = MAPPER.readTree(fixture(path));
            int mutations = 1 + random.nextInt(4);
            for (int i = 0; i < mutations; i++) {
                mutateTree(root, random);
            }
            byte[] bytes = MAPPER.writeValueAsBytes(root);
            return switch (random.nextInt(6)) {
                case 0 -> Arrays.copyOf(bytes, random.nextInt(bytes.length));
                case 1 -> ("{\"a\":" + "[".repeat(2_000 + random.nextInt(9_000)) + "]".repeat(11_000) + "}")
                        .getBytes(StandardCharsets.UTF_8);
                case 2 -> duplicateFirstField(bytes);
                default -> bytes;
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mutateTree(JsonNode root, Random random) {
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(root, objects);
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> fields = new ArrayList<>();
        target.fieldNames().forEachRemaining(fields::add);
        if (fields.isEmpty()) {
            return;
        }
        String field = fields.get(random.nextInt(fields.size()));
        switch (random.nextInt(8)) {
            case 0 -> target.remove(field);
            case 1 -> target.putNull(field);
            case 2 -> target.put(field, random.nextLong());
            case 3 -> target.put(field, random.nextBoolean());
            case 4 -> target.put(field, ODD_STRINGS[random.nextInt(ODD_STRINGS.length)]);
            case 5 -> target.set(field, JsonNodeFactory.instance.arrayNode().add(target.get(field)));
            case 6 -> target.set(field, JsonNodeFactory.instance.objectNode());
            default -> target.put(field, 1.5e308);
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> objects) {
        if (node instanceof ObjectNode object) {
            objects.add(object);
            object.elements().forEachRemaining(child -> collectObjects(child, objects));
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(child -> collectObjects(child, objects));
        }
    }

    private static byte[] duplicateFirstField(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        int end = text.indexOf(",\"");
        if (!text.startsWith("{") || end < 0) {
            return json;
        }
        String firstField = text.substring(1, end);
        return ("{" + firstField + "," + text.substring(1)).getBytes(StandardCharsets.UTF_8);
    }
}
