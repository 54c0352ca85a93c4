package io.trunkline.deploy.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.infra.test.InjectWireMock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The address guard with names resolved by {@link TestHostResolver}: the call goes to the address that
 * was checked (no DNS server knows the name), private and embedded loopback addresses are refused
 * without a call, and TLS stays verified.
 */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class AddressGuardTargetTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @InjectWireMock("target")
    WireMockServer target;

    private final DeployTopics topics = new DeployTopics();

    @AfterEach
    void closeTopics() {
        topics.close();
    }

    private DeploymentStateChanged deployTo(String url, DeploymentState expected) {
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                DeployTopics.http("POST", url, Map.of(), "{}"));
        topics.send(request);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state).containsExactly(DeploymentState.IN_PROGRESS, expected));
        return topics.statuses(request.deploymentId()).get(1);
    }

    @Test
    void aNameResolvingToAnAllowedAddressIsCalledAtTheAddressThatWasChecked() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).willReturn(aResponse().withStatus(200)));

        deployTo("http://" + TestHostResolver.TARGET_HOST + ":" + target.port() + prefix + "/deploy",
                DeploymentState.SUCCEEDED);

        // the host name is what the request names; the connection went to 127.0.0.1, as checked
        target.verify(exactly(1), postRequestedFor(urlEqualTo(prefix + "/deploy"))
                .withHeader("Host", equalTo(TestHostResolver.TARGET_HOST + ":" + target.port())));
    }

    @Test
    void namesResolvingToAPrivateOrAnEmbeddedLoopbackAddressAreRefusedWithoutACall() {
        String prefix = "/t-" + UUID.randomUUID();

        DeploymentStateChanged intranet = deployTo("http://" + TestHostResolver.INTRANET_HOST + ":" + target.port()
                + prefix + "/deploy", DeploymentState.FAILED);
        DeploymentStateChanged nat64 = deployTo("http://" + TestHostResolver.NAT64_LOOPBACK_HOST + ":" + target.port()
                + prefix + "/deploy", DeploymentState.FAILED);

        assertThat(intranet.reason()).isEqualTo("target host intranet.test resolves to a private address; list the"
                + " host or its address in TRUNKLINE_TARGET_ALLOWED_HOSTS to deploy to it");
        assertThat(nat64.reason()).isEqualTo("target host nat64-loopback.test resolves to a loopback (inside an IPv6"
                + " address) address; list the host or its address in TRUNKLINE_TARGET_ALLOWED_HOSTS to deploy to it");
        target.verify(exactly(0), anyRequestedFor(urlPathMatching(prefix + "/.*")));
    }

    @Test
    void aCertificateTheServiceDoesNotTrustFailsTheDeploymentAtOnce() {
        WireMockServer https = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort()
                .bindAddress("127.0.0.1"));
        https.start();
        try {
            https.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));

            DeploymentStateChanged failed = deployTo("https://" + TestHostResolver.TARGET_HOST + ":" + https.httpsPort()
                    + "/deploy", DeploymentState.FAILED);

            // a first TLS handshake may outlast the connect timeout on a busy machine: that one is retried
            assertThat(failed.reason()).startsWith("TLS handshake with target host deploy-target.test failed");
            https.verify(exactly(0), anyRequestedFor(anyUrl()));
        } finally {
            https.stop();
        }
    }
}
