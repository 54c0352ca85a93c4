package io.trunkline.ingest.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of a delivery whose signature is not checked yet. It is read for one thing only, the
 * repository it names, because that decides which secret checks the signature: a streaming pass
 * that follows the requested paths and skips everything else without building it. A body that is
 * not JSON, too deep, or does not hold the paths as strings names no repository.
 */
public final class UnverifiedBody {

    private final byte[] bytes;
    private final JsonFactory factory;

    public UnverifiedBody(byte[] bytes, JsonFactory factory) {
        this.bytes = bytes;
        this.factory = factory;
    }

    /**
     * The strings at {@code paths} (each a list of object field names from the top), by path; a path
     * without a string there is left out. The first occurrence counts; the verified body's parser
     * refuses duplicate fields, and {@link DeliveryReader} checks that it names the same repository.
     */
    public Map<List<String>, String> strings(List<List<String>> paths) {
        Map<List<String>, String> found = new HashMap<>();
        try (JsonParser parser = factory.createParser(bytes)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                walk(parser, List.of(), paths, found);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of(); // not JSON, too deep, too long a string: no repository named
        }
        return found;
    }

    /** The string at {@code path}, if there is one. */
    public Optional<String> string(List<String> path) {
        return Optional.ofNullable(strings(List.of(path)).get(path));
    }

    // the parser is on START_OBJECT of the object at prefix; returns on its END_OBJECT or when all is found
    private static boolean walk(JsonParser parser, List<String> prefix, List<List<String>> paths,
            Map<List<String>, String> found) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            List<String> path = append(prefix, parser.currentName());
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_STRING && paths.contains(path) && !found.containsKey(path)) {
                found.put(path, parser.getText());
                if (found.size() == paths.size()) {
                    return true;
                }
            } else if (value == JsonToken.START_OBJECT && leadsTo(path, paths)) {
                if (walk(parser, path, paths, found)) {
                    return true;
                }
            } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                parser.skipChildren();
            }
        }
        return false;
    }

    private static boolean leadsTo(List<String> prefix, List<List<String>> paths) {
        return paths.stream().anyMatch(path -> path.size() > prefix.size() && path.subList(0, prefix.size()).equals(prefix));
    }

    private static List<String> append(List<String> prefix, String name) {
        String[] path = prefix.toArray(new String[prefix.size() + 1]);
        path[prefix.size()] = name;
        return List.of(path);
    }
}
