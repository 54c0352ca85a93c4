package io.trunkline.infra.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.logging.Level;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.jboss.logmanager.LogContext;

/**
 * A real Apache Kafka broker, KRaft mode, broker and controller in one node, running in this JVM.
 * The log directory is formatted once; a restart on the same directory keeps every topic.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker listening on 127.0.0.1.
     *
     * @param dataDir        where the log lives; kept between starts
     * @param port           the client port, 0 for any free one
     * @param controllerPort the KRaft controller port, 0 for any free one
     */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort) {
        quietLogs();
        int clientPort = port == 0 ? FreePorts.pick() : port;
        int quorumPort = controllerPort == 0 ? FreePorts.pick() : controllerPort;
        Path logDir = dataDir.resolve("log");
        Properties props = brokerProperties(logDir, clientPort, quorumPort);
        try {
            Files.createDirectories(logDir);
            Path configFile = dataDir.resolve("server.properties");
            try (Writer writer = Files.newBufferedWriter(configFile)) {
                props.store(writer, "Trunkline local Kafka broker");
            }
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(configFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + dataDir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        server.startup();
        return new KafkaBroker(server, "127.0.0.1:" + clientPort);
    }

    /** The broker is chatty at INFO; a local stack and a test run only need its warnings. */
    private static void quietLogs() {
        for (String category : new String[] {"kafka", "org.apache.kafka", "state.change.logger"}) {
            LogContext.getLogContext().getLogger(category).setLevel(Level.WARNING);
        }
    }

    static Properties brokerProperties(Path logDir, int clientPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", "6");
        props.put("auto.create.topics.enable", "true");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // The 4.1 group coordinator otherwise waits 5 ms before writing each offset commit.
        props.put("group.coordinator.append.linger.ms", "0");
        return props;
    }

    private static void format(Path configFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String clusterId = Uuid.randomUuid().toString();
        int exit = StorageTool.execute(new String[] {
            "format", "-t", clusterId, "-c", configFile.toString()
        }, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("formatting the Kafka log directory failed: "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
