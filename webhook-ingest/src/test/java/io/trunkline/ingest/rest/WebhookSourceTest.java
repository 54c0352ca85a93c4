package io.trunkline.ingest.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.ingest.support.Deliveries.branch;
import static io.trunkline.ingest.support.Deliveries.commit;
import static io.trunkline.ingest.support.Deliveries.push;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.ingest.service.WebhookSignature;
import io.trunkline.ingest.support.Deliveries;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The allow-list of sources (403) and the per-source rate limit (429 with Retry-After), behind a proxy whose
 * {@code X-Forwarded-For} Quarkus honours ({@code quarkus.http.proxy.proxy-address-forwarding}), so that each test
 * can be a source of its own.
 */
@QuarkusTest
@TestProfile(WebhookSourceTest.AllowListAndLimit.class)
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class WebhookSourceTest {

    public static class AllowListAndLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "trunkline.webhook.allowed-sources", "127.0.0.1/32, 203.0.113.0/24,2001:db8::/32",
                    // one delivery every 20 s after a burst of 3: a slow machine sends the 4th within that
                    "trunkline.webhook.rate-limit.rate", "0.05",
                    "trunkline.webhook.rate-limit.burst", "3",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true");
        }
    }

    private static ValidatableResponse send(String forwardedFor) {
        byte[] body = push(Deliveries.newRepository(), branch("main", commit(), commit()));
        var request = given().contentType(ContentType.JSON).header("X-Event-Key", "repo:push")
                .header("X-Request-UUID", UUID.randomUUID().toString())
                .header("X-Hub-Signature", WebhookSignature.sign(Deliveries.SECRET, body)).body(body);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return request.post("/webhooks/bitbucket").then();
    }

    @Test
    void aSourceOutsideTheAllowListIs403WithAProblem() {
        for (String outside : new String[] {"198.51.100.7", "203.0.114.1", "2001:db9::1", "10.0.0.1"}) {
            send(outside).statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:trunkline:problem:source-not-allowed"))
                    .body("status", equalTo(403));
        }
        send("203.0.113.5").statusCode(202);
        send("2001:db8::5").statusCode(202);
        send(null).statusCode(202); // the test client itself, 127.0.0.1
    }

    @Test
    void aSourceOverItsRateIs429WithRetryAfterWhileOthersGoOn() {
        for (int i = 0; i < 3; i++) {
            send("203.0.113.20").statusCode(202);
        }
        send("203.0.113.20").statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[1-9][0-9]?|20"))
                .body("type", equalTo("urn:trunkline:problem:too-many-deliveries"))
                .body("status", equalTo(429));
        send("203.0.113.21").statusCode(202);
    }

    @Test
    void otherRoutesAreNeitherFilteredNorLimited() {
        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", "198.51.100.7").get("/q/health/live").then().statusCode(200);
        }
    }
}
