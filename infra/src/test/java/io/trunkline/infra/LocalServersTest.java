package io.trunkline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.infra.kafka.KafkaBroker;
import io.trunkline.infra.postgres.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack must keep its data across a restart: Kafka records and database rows. */
class LocalServersTest {

    @TempDir
    Path dataDir;

    @Test
    void kafkaKeepsRecordsAcrossRestart() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0, 0);
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     "bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
                     new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("restart-check", "k", "kept")).get();
        }

        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0, 0);
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                     "bootstrap.servers", broker.bootstrapServers(), "group.id", "restart-check",
                     "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("restart-check"));
            String value = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (value == null && System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    value = records.iterator().next().value();
                }
            }
            assertThat(value).isEqualTo("kept");
        }
    }

    @Test
    void postgresKeepsDatabasesAcrossRestart() throws Exception {
        Path pgDir = dataDir.resolve("postgres");
        try (PostgresServer postgres = PostgresServer.start(pgDir, 0)) {
            postgres.createDatabaseIfMissing("restart_check");
            postgres.createDatabaseIfMissing("restart_check");
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("restart_check"), PostgresServer.USER, PostgresServer.PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v TEXT)");
                s.execute("INSERT INTO kept VALUES ('row')");
            }
        }
        try (PostgresServer postgres = PostgresServer.start(pgDir, 0);
             Connection c = DriverManager.getConnection(postgres.jdbcUrl("restart_check"), PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("row");
        }
    }
}
