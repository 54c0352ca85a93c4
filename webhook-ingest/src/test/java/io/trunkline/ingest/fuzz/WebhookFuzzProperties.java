package io.trunkline.ingest.fuzz;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.EventCodec;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.Topics;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.ingest.service.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Random bodies and headers thrown at a running webhook-ingest: it never answers a 5xx other than
 * 503, answers every error with a problem body that repeats neither the secret nor the signature,
 * and publishes nothing for a request whose signature does not verify, neither by its answer nor on
 * the topic, which is read to its end once all tries are done. Not a test class of its own: run
 * against the application by {@link WebhookFuzzTest}, which passes where to find it in system properties.
 */
class WebhookFuzzProperties {

    static final String URL = "trunkline.fuzz.url";
    static final String BOOTSTRAP_SERVERS = "trunkline.fuzz.bootstrap-servers";
    static final String SECRET = "trunkline.fuzz.secret";

    private static final Set<String> UNVERIFIED_DELIVERIES = ConcurrentHashMap.newKeySet();
    private static final List<String> EVENT_KEYS = List.of("repo:push", "pullrequest:created", "pullrequest:updated",
            "pullrequest:fulfilled", "pullrequest:rejected", "repo:refs_changed", "pr:opened", "pr:from_ref_updated",
            "pr:merged", "pr:declined", "pr:deleted", "diagnostics:ping", "pullrequest:comment_created", "repo:fork");

    private static String secret() {
        return System.getProperty(SECRET);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void neverA5xxButAnOutageAndNothingAcceptedThatDoesNotVerify(@ForAll("requests") FuzzRequest request) {
        if (!request.verifies(secret())) {
            UNVERIFIED_DELIVERIES.add(request.deliveryId());
        }

        ExtractableResponse<Response> answer = send(request);

        int status = answer.statusCode();
        assertThat(status).as("status of %s", request).satisfiesAnyOf(
                s -> assertThat(s).isLessThan(500), s -> assertThat(s).isEqualTo(503));
        if (!request.verifies(secret())) {
            assertThat(status).as("an unverified request is never accepted: %s", request).isGreaterThanOrEqualTo(400);
        }
        if (status >= 400) {
            assertThat(answer.contentType()).as("error of %s", request).startsWith("application/problem+json");
            String body = answer.asString();
            assertThat(body).doesNotContain(secret());
            if (request.signature() != null && request.signature().length() > 16) {
                assertThat(body).doesNotContain(request.signature().substring(7));
            }
        }
    }

    @AfterContainer
    static void nothingOnTheTopicCameFromADeliveryThatDidNotVerify() {
        List<TrunklineEvent> forged = readTopic().stream()
                .filter(event -> UNVERIFIED_DELIVERIES.contains(deliveryIdOf(event)))
                .toList();
        assertThat(UNVERIFIED_DELIVERIES).as("the run sent unverified deliveries").isNotEmpty();
        assertThat(forged).as("events published for deliveries that did not verify").isEmpty();
    }

    private static ExtractableResponse<Response> send(FuzzRequest request) {
        RequestSpecification spec = given().baseUri(System.getProperty(URL)).body(request.body());
        spec.contentType(request.contentType() == null ? "" : request.contentType());
        if (request.eventKey() != null) {
            spec.header("X-Event-Key", request.eventKey());
        }
        if (request.signature() != null) {
            spec.header("X-Hub-Signature", request.signature());
        }
        spec.header(request.deliveryHeader(), request.deliveryId());
        return spec.post("/webhooks/bitbucket").then().extract();
    }

    @Provide
    Arbitrary<FuzzRequest> requests() {
        Arbitrary<String> fixtures = Arbitraries.of(FuzzBodies.FIXTURES);
        Arbitrary<Body> bodies = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, fixtures.map(path -> new Body("fixture " + path, FuzzBodies.fixture(path)))),
                net.jqwik.api.Tuple.of(5, Combinators.combine(fixtures, Arbitraries.longs())
                        .as((path, seed) -> new Body("mutated " + path + " #" + seed, FuzzBodies.mutated(path, seed)))),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("{}[]\":,0123456789aez \\/nul")
                        .ofMaxLength(300).map(text -> new Body("json-ish", text.getBytes(StandardCharsets.UTF_8)))),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000)
                        .map(bytes -> new Body("bytes", bytes))));
        Arbitrary<String> eventKeys = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(EVENT_KEYS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<String> contentTypes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("application/json", "application/json; charset=UTF-8")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("text/plain", "application/xml", "application/vnd.x+json")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<SignatureKind> signatures = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(SignatureKind.VALID)),
                net.jqwik.api.Tuple.of(6, Arbitraries.of(SignatureKind.values())));
        Arbitrary<String> deliveryHeaders = Arbitraries.of("X-Request-UUID", "X-Request-Id");
        return Combinators.combine(bodies, eventKeys, contentTypes, signatures, deliveryHeaders,
                        Arbitraries.strings().withCharRange('a', 'z').ofLength(12))
                .as((body, eventKey, contentType, signature, deliveryHeader, garbage) -> new FuzzRequest(
                        body.description(), body.bytes(), eventKey, contentType, signature.sign(body.bytes(), garbage),
                        deliveryHeader, "fuzz-" + UUID.randomUUID()));
    }

    private record Body(String description, byte[] bytes) {
    }

    /** The signatures a request may carry: right, right in another form, and every kind of wrong. */
    enum SignatureKind {
        VALID, VALID_UPPER_CASE, VALID_TRAILING_SPACE, NONE, EMPTY, PREFIX_ONLY, WRONG_SECRET, SHA1, NO_PREFIX,
        ODD_LENGTH, TRUNCATED, NOT_HEX;

        String sign(byte[] body, String garbage) {
            String valid = WebhookSignature.sign(System.getProperty(SECRET), body);
            String hex = valid.substring("sha256=".length());
            return switch (this) {
                case VALID -> valid;
                case VALID_UPPER_CASE -> "sha256=" + hex.toUpperCase();
                case VALID_TRAILING_SPACE -> valid + " ";
                case NONE -> null;
                case EMPTY -> "";
                case PREFIX_ONLY -> "sha256=";
                case WRONG_SECRET -> WebhookSignature.sign("wrong-" + garbage, body);
                case SHA1 -> "sha1=" + hex.substring(0, 40);
                case NO_PREFIX -> hex;
                case ODD_LENGTH -> valid.substring(0, valid.length() - 1);
                case TRUNCATED -> valid.substring(0, 20);
                case NOT_HEX -> "sha256=" + garbage + HexFormat.of().formatHex(garbage.getBytes(StandardCharsets.UTF_8));
            };
        }
    }

    private static String deliveryIdOf(TrunklineEvent event) {
        if (event instanceof RefsPushed push) {
            return push.deliveryId();
        }
        if (event instanceof PullRequestChanged pullRequest) {
            return pullRequest.deliveryId();
        }
        return null;
    }

    /** Every event on the SCM topic, from its beginning to its end as of now. */
    private static List<TrunklineEvent> readTopic() {
        List<TrunklineEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", System.getProperty(BOOTSTRAP_SERVERS), "enable.auto.commit", "false"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SCM_EVENTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading the topic to its end").isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    EventCodec.decode(CloudEventHeaders.read(record.headers()).type(), record.value())
                            .ifPresent(events::add);
                }
            }
        }
        return events;
    }

    static Set<String> unverifiedDeliveries() {
        return UNVERIFIED_DELIVERIES.stream().collect(Collectors.toUnmodifiableSet());
    }
}
