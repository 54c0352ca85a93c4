package io.trunkline.ingest.support;

import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.kafka.KafkaBroker;
import java.nio.file.Path;

/** A Kafka broker of one test class that the test can stop and start again, on the same ports and log. */
public final class RestartableKafka implements AutoCloseable {

    private final Path dataDir;
    private final int port = FreePorts.pick();
    private final int controllerPort = FreePorts.pick();
    private KafkaBroker broker;

    public RestartableKafka(Path dataDir) {
        this.dataDir = dataDir;
    }

    public synchronized RestartableKafka start() {
        if (broker == null) {
            broker = KafkaBroker.start(dataDir, port, controllerPort);
        }
        return this;
    }

    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
