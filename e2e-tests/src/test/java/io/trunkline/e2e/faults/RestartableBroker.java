package io.trunkline.e2e.faults;

import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.kafka.KafkaBroker;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The suite's own Kafka broker (in this JVM): stopped and started again on the same log directory
 * and the same ports, so the services reconnect to it as they would to a restarted production broker.
 */
final class RestartableBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RestartableBroker.class);

    private final Path dataDir;
    private final int port = FreePorts.pick();
    private final int controllerPort = FreePorts.pick();
    private KafkaBroker broker;

    private RestartableBroker(Path dataDir) {
        this.dataDir = dataDir;
    }

    static RestartableBroker start(Path dataDir) {
        RestartableBroker broker = new RestartableBroker(dataDir);
        broker.start();
        return broker;
    }

    synchronized void start() {
        if (broker == null) {
            broker = KafkaBroker.start(dataDir, port, controllerPort);
            LOG.infof("Kafka broker listening on %s", bootstrapServers());
        }
    }

    synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
            LOG.infof("Kafka broker on %s stopped", bootstrapServers());
        }
    }

    synchronized boolean isRunning() {
        return broker != null;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
