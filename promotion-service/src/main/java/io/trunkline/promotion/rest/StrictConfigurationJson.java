package io.trunkline.promotion.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Nothing is accepted that is not honoured: a request body with a field this service does not know
 * (a typo, or a setting such as {@code soak} that is not built yet) is refused with 400 naming the field
 * ({@link PromotionProblemMappers}) instead of being silently dropped, and a boolean must be a JSON boolean
 * ({@code "idempotent": "yes"} or {@code 1} is refused rather than guessed). Applies to this service's REST
 * bodies; events are read by the events module's own codec, which ignores unknown fields on purpose.
 */
@Singleton
public class StrictConfigurationJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    }
}
