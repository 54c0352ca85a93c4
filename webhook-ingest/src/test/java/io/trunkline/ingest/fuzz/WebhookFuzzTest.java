package io.trunkline.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.TestServers;
import io.trunkline.ingest.support.Deliveries;
import java.net.URL;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.discovery.DiscoverySelectors;

/**
 * Runs the jqwik properties of {@link WebhookFuzzProperties} against this application, through the
 * JUnit Platform's launcher: jqwik's engine does not run inside a {@code @QuarkusTest}, so the
 * properties run beside it, from the system class loader, and reach it over HTTP and Kafka only.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class WebhookFuzzTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void randomBodiesAndHeadersNeverFailTheServiceNorGetPastTheSignature() {
        System.setProperty(WebhookFuzzProperties.URL, root.toString());
        System.setProperty(WebhookFuzzProperties.BOOTSTRAP_SERVERS, TestServers.get().bootstrapServers());
        System.setProperty(WebhookFuzzProperties.SECRET, Deliveries.SECRET);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(WebhookFuzzProperties.class.getName()))
                .configurationParameter("jqwik.reporting.onlyfailures", "true")
                .configurationParameter("jqwik.database", "target/jqwik-database")
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Thread thread = Thread.currentThread();
        ClassLoader quarkus = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, listener);
        } finally {
            thread.setContextClassLoader(quarkus);
        }

        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getFailures()).as(() -> summary.getFailures().stream()
                .map(failure -> failure.getTestIdentifier().getDisplayName() + ": " + failure.getException())
                .collect(Collectors.joining("\n"))).isEmpty();
        assertThat(summary.getTestsSucceededCount()).as("properties run").isEqualTo(1);
    }
}
