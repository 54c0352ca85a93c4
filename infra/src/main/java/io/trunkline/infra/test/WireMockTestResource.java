package io.trunkline.infra.test;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * A WireMock server standing in for a third-party HTTP API. Init args name the configuration
 * properties that receive its base URL: {@code urlProperties} (comma-separated), and an optional
 * {@code path} appended to it; {@code name} tells several servers of one test apart. Tests reach
 * the server through a field annotated {@code @InjectWireMock("<name>")}.
 */
public class WireMockTestResource implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;
    private String[] urlProperties = new String[0];
    private String path = "";
    private String name = "";

    @Override
    public void init(Map<String, String> initArgs) {
        urlProperties = initArgs.getOrDefault("urlProperties", "").split(",");
        path = initArgs.getOrDefault("path", "");
        name = initArgs.getOrDefault("name", "");
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        Map<String, String> config = new HashMap<>();
        for (String property : urlProperties) {
            if (!property.isBlank()) {
                config.put(property.trim(), server.baseUrl() + path);
            }
        }
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, field -> field.getType() == WireMockServer.class
                && field.isAnnotationPresent(InjectWireMock.class)
                && field.getAnnotation(InjectWireMock.class).value().equals(name));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
