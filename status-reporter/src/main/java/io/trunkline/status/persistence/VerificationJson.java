package io.trunkline.status.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.events.VerificationResult;

/** The stored form of a deployment's verification: the JSON the events carry. */
public final class VerificationJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private VerificationJson() {
    }

    public static String write(VerificationResult verification) {
        try {
            return JSON.writeValueAsString(verification);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a verification", e);
        }
    }

    /** The stored verification; null for none (or one this version cannot read). */
    public static VerificationResult read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, VerificationResult.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
