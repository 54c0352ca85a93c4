package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryReaderTest {

    @Test
    void jsonIsWhatDeclaresItself() {
        assertThat(DeliveryReader.isJson("application/json")).isTrue();
        assertThat(DeliveryReader.isJson("application/json; charset=UTF-8")).isTrue();
        assertThat(DeliveryReader.isJson(" Application/JSON ")).isTrue();
        assertThat(DeliveryReader.isJson("application/problem+json")).isTrue();
        assertThat(DeliveryReader.isJson(null)).isFalse();
        assertThat(DeliveryReader.isJson("")).isFalse();
        assertThat(DeliveryReader.isJson("text/json-ish")).isFalse();
        assertThat(DeliveryReader.isJson("text/plain; application/json")).isFalse();
    }
}
