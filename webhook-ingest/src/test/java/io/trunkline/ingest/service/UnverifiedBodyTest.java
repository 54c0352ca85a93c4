package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnverifiedBodyTest {

    private static final List<String> FULL_NAME = List.of("repository", "full_name");

    private static UnverifiedBody body(String json) {
        return new UnverifiedBody(json.getBytes(StandardCharsets.UTF_8), new ObjectMapper().getFactory());
    }

    @Test
    void followsOnlyThePathAndSkipsEverythingElse() {
        String json = "{\"push\":{\"changes\":[{\"repository\":{\"full_name\":\"not/this\"}}]},"
                + "\"other\":{\"repository\":{\"full_name\":\"nor/this\"}},"
                + "\"repository\":{\"name\":\"x\",\"full_name\":\"acme/shop\"}}";

        assertThat(body(json).string(FULL_NAME)).contains("acme/shop");
    }

    @Test
    void namesNothingWhereThePathHoldsNoString() {
        assertThat(body("{\"repository\":{\"full_name\":{\"a\":\"b\"}}}").string(FULL_NAME)).isEmpty();
        assertThat(body("{\"repository\":[\"acme/shop\"]}").string(FULL_NAME)).isEmpty();
        assertThat(body("[{\"repository\":{\"full_name\":\"acme/shop\"}}]").string(FULL_NAME)).isEmpty();
        assertThat(body("{\"repository\":{\"full_name\":\"acme/sh").string(FULL_NAME)).isEmpty();
        assertThat(body("").string(FULL_NAME)).isEmpty();
    }

    @Test
    void aBodyNestedTooDeeplyNamesNothing() {
        String deep = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000)
                + ",\"repository\":{\"full_name\":\"acme/shop\"}}";

        assertThat(body(deep).string(FULL_NAME)).isEmpty();
    }

    @Test
    void theFirstOccurrenceCounts() {
        assertThat(body("{\"repository\":{\"full_name\":\"a/b\"},\"repository\":{\"full_name\":\"c/d\"}}")
                .string(FULL_NAME)).contains("a/b");
    }
}
