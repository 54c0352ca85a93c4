package io.trunkline.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A part of a verified delivery body, read field by field. Each accessor names the field's path in
 * its {@link InvalidPayloadException} (e.g. {@code pullrequest.source.commit.hash must be a string}),
 * never the value it found: the message goes back to the sender and into logs.
 */
final class Payload {

    private final JsonNode node;
    private final String path;

    private Payload(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static Payload of(JsonNode body) {
        return new Payload(body, "");
    }

    /** Whether the part is there (not missing, not JSON null). */
    boolean present() {
        return !node.isMissingNode() && !node.isNull();
    }

    String path() {
        return path.isEmpty() ? "the body" : path;
    }

    /** The object in {@code field}; absent when the field is missing or null. */
    Payload object(String field) {
        JsonNode value = node.path(field);
        String fieldPath = pathOf(field);
        if (value.isMissingNode() || value.isNull()) {
            return new Payload(MissingNode.getInstance(), fieldPath);
        }
        if (!value.isObject()) {
            throw new InvalidPayloadException(fieldPath + " must be an object");
        }
        return new Payload(value, fieldPath);
    }

    /** The object in {@code field}, which must be there. */
    Payload requiredObject(String field) {
        Payload object = object(field);
        if (!object.present()) {
            throw new InvalidPayloadException(object.path + " is missing");
        }
        return object;
    }

    /** The elements of the array in {@code field}, which must be there; each element must be an object. */
    List<Payload> requiredObjects(String field) {
        JsonNode value = node.path(field);
        String fieldPath = pathOf(field);
        if (!value.isArray()) {
            throw new InvalidPayloadException(fieldPath + " must be an array");
        }
        List<Payload> elements = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String elementPath = fieldPath + "[" + i + "]";
            if (!value.get(i).isObject()) {
                throw new InvalidPayloadException(elementPath + " must be an object");
            }
            elements.add(new Payload(value.get(i), elementPath));
        }
        return elements;
    }

    /** The string in {@code field}; null when missing or null. */
    String text(String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidPayloadException(pathOf(field) + " must be a string");
        }
        return value.asText();
    }

    /** The non-blank string in {@code field}. */
    String requiredText(String field) {
        String value = text(field);
        if (value == null || value.isBlank()) {
            throw new InvalidPayloadException(pathOf(field) + " is missing");
        }
        return value;
    }

    /** The whole number in {@code field}, which must be there. */
    long requiredNumber(String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw new InvalidPayloadException(pathOf(field) + " is missing");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidPayloadException(pathOf(field) + " must be a whole number");
        }
        return value.asLong();
    }

    /** The whole number in {@code field}; null when missing or null. */
    Long number(String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : requiredNumber(field);
    }

    /** The boolean in {@code field}; {@code fallback} when missing or null. */
    boolean bool(String field, boolean fallback) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new InvalidPayloadException(pathOf(field) + " must be true or false");
        }
        return value.asBoolean();
    }

    String pathOf(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
