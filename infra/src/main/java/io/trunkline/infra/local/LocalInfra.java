package io.trunkline.infra.local;

import io.trunkline.infra.kafka.KafkaBroker;
import io.trunkline.infra.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The servers of the local stack ({@code bin/trunkline up}): one Kafka broker and one PostgreSQL
 * with a database per service, data under the given directory. Prints {@code READY} once both
 * accept connections and runs until the process is asked to stop.
 *
 * <p>Arguments: data directory, Kafka port, Kafka controller port, PostgreSQL port, database names.
 * PostgreSQL runs without fsync and with asynchronous commits unless {@code TRUNKLINE_POSTGRES_DURABLE=true}
 * (or {@code -Dtrunkline.postgres.durable=true}) asks for its durable defaults ({@link PostgresServer}).
 */
public final class LocalInfra {

    private LocalInfra() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: LocalInfra <data-dir> <kafka-port> <controller-port> <postgres-port> [database...]");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int kafkaPort = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        int postgresPort = Integer.parseInt(args[3]);
        List<String> databases = List.of(args).subList(4, args.length);

        Files.createDirectories(dataDir);
        PostgresServer postgres = PostgresServer.start(dataDir.resolve("postgres"), postgresPort,
                PostgresServer.durableRequested());
        databases.forEach(postgres::createDatabaseIfMissing);
        KafkaBroker kafka = KafkaBroker.start(dataDir.resolve("kafka"), kafkaPort, controllerPort);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            postgres.close();
            stopped.countDown();
        }, "local-infra-stop"));
        System.out.println("READY kafka=" + kafka.bootstrapServers() + " postgres=" + postgres.jdbcUrl("")
                + " fsync=" + postgres.setting("fsync") + " synchronous_commit=" + postgres.setting("synchronous_commit"));
        System.out.flush();
        stopped.await();
    }
}
