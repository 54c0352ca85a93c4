package io.trunkline.e2e.faults;

import io.trunkline.infra.kafka.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every instance of the four services the suite has started, by service, in the order they were added. */
final class ServiceFleet implements AutoCloseable {

    static final List<String> SERVICES = List.of("webhook-ingest", "promotion-service", "deploy-service", "status-reporter");
    static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
    /**
     * How long a service may take to stop after SIGTERM before it is killed: docker-compose's stop grace of
     * deploy-service (30 s, its deployments under way get trunkline.deploy.shutdown-grace, 20 s) and
     * Kubernetes' default; longer counts as a failed stop.
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path root;
    private final Path logDir;
    private final Function<String, Map<String, String>> environment;
    private final Map<String, List<ServiceInstance>> instances = new LinkedHashMap<>();

    /**
     * @param environment the environment of a service's processes (without the HTTP port, which each instance has of its own)
     */
    ServiceFleet(Path root, Path logDir, Function<String, Map<String, String>> environment) {
        this.root = root;
        this.logDir = logDir;
        this.environment = environment;
        SERVICES.forEach(service -> instances.put(service, new ArrayList<>()));
        // a test JVM stopped half-way (Ctrl-C, a fork timeout) leaves no service running behind it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> all().forEach(ServiceInstance::killIfRunning),
                "fault-suite-services-kill"));
    }

    /** Starts one more instance of {@code service} on a port of its own; does not wait for it to be ready. */
    synchronized ServiceInstance addInstance(String service) {
        List<ServiceInstance> ofService = instances.get(service);
        int port = FreePorts.pick();
        Map<String, String> env = new HashMap<>(environment.apply(service));
        if (service.equals("status-reporter")) {
            env.put("TRUNKLINE_DASHBOARD_URL", "http://127.0.0.1:" + port);
        }
        ServiceInstance instance = new ServiceInstance(root, service, ofService.size() + 1, port, env, logDir);
        ofService.add(instance);
        instance.start(ofService.size() == 1 ? "first start" : "an instance more on the same consumer groups");
        return instance;
    }

    synchronized List<ServiceInstance> running(String service) {
        return instances.get(service).stream().filter(ServiceInstance::isRunning).toList();
    }

    /** The first running instance of {@code service}. */
    ServiceInstance runningInstance(String service) {
        return running(service).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no instance of " + service + " is running"));
    }

    synchronized List<ServiceInstance> all() {
        return instances.values().stream().flatMap(List::stream).toList();
    }

    /** Where an instance of {@code service} with no running instance at all is started again; none is ever added. */
    synchronized void restartWhereNoneRuns(String why) {
        for (String service : SERVICES) {
            if (running(service).isEmpty()) {
                List<ServiceInstance> ofService = instances.get(service);
                if (ofService.isEmpty()) {
                    addInstance(service);
                } else {
                    ofService.get(0).start(why);
                }
            }
        }
    }

    /** Waits until every running instance answers ready. */
    void awaitRunningReady() {
        for (String service : SERVICES) {
            running(service).forEach(instance -> instance.awaitReady(READY_TIMEOUT));
        }
    }

    /** Base URLs of the running webhook-ingest instances: where a load balancer would send deliveries. */
    List<String> webhookUrls() {
        return running("webhook-ingest").stream().map(instance -> instance.baseUrl() + "/webhooks/bitbucket").toList();
    }

    Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        for (ServiceInstance instance : all()) {
            if (instance.isRunning()) {
                instance.stop(STOP_GRACE);
            }
        }
    }
}
