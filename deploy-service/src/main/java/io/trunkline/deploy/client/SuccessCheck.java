package io.trunkline.deploy.client;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.trunkline.events.TargetSpec.SuccessCondition;
import java.io.IOException;
import java.util.Optional;

/**
 * Checks a target's own success condition on its 2xx answer: the value at a JSON pointer must equal
 * the expected JSON value (Appsmith answers {@code 200} with {@code {"responseMeta":{"success":false}}}
 * when the deployment failed). What the answer held instead is described by its kind, and by its
 * value only for booleans and null: an answer may echo anything, secrets included. Pure.
 */
public final class SuccessCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SuccessCheck() {
    }

    /**
     * @return why the answer does not meet the condition, or empty when it does
     * @throws IllegalArgumentException for a pointer that is not a JSON pointer (a configuration error)
     */
    public static Optional<String> failure(SuccessCondition condition, byte[] answer) {
        JsonPointer pointer = pointer(condition);
        JsonNode expected = expected(condition);
        JsonNode root;
        try {
            root = answer == null || answer.length == 0 ? null : JSON.readTree(answer);
        } catch (IOException e) {
            root = null;
        }
        if (root == null) {
            return Optional.of("its answer is not JSON, so " + condition.pointer() + " cannot be " + expected);
        }
        JsonNode actual = root.at(pointer);
        if (actual.isMissingNode()) {
            return Optional.of(condition.pointer() + " is missing from its answer, expected " + expected);
        }
        if (actual.equals(expected)) {
            return Optional.empty();
        }
        return Optional.of(condition.pointer() + " is " + describe(actual) + ", not " + expected);
    }

    /** @throws IllegalArgumentException when the pointer is missing or not a JSON pointer */
    public static JsonPointer pointer(SuccessCondition condition) {
        if (condition.pointer() == null || !(condition.pointer().isEmpty() || condition.pointer().startsWith("/"))) {
            throw new IllegalArgumentException("the target's success pointer must be a JSON pointer such as"
                    + " /responseMeta/success");
        }
        return JsonPointer.compile(condition.pointer());
    }

    private static JsonNode expected(SuccessCondition condition) {
        return condition.expected() == null || condition.expected().isMissingNode() ? BooleanNode.TRUE : condition.expected();
    }

    private static String describe(JsonNode actual) {
        if (actual.isBoolean() || actual.isNull()) {
            return actual.toString();
        }
        if (actual.isNumber()) {
            return "another number";
        }
        if (actual.isTextual()) {
            return "another string";
        }
        return actual.isArray() ? "an array" : "an object";
    }
}
