package io.trunkline.ingest.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The bare limit of {@link WebhookIngestBenchmark}: a JDK {@code HttpServer} that publishes each
 * request's raw body to Kafka with webhook-ingest's producer settings ({@code acks=all}, idempotent,
 * {@code linger.ms=0}) and answers 202 once the broker acknowledged it. No framework, no checks, no
 * database. Arguments: port, bootstrap servers, topic.
 */
public final class BareKafkaEndpoint {

    private BareKafkaEndpoint() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        String topic = args[2];
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", args[1], "acks", "all", "enable.idempotence", true, "linger.ms", 0,
                "max.block.ms", 500, "delivery.timeout.ms", 2000, "request.timeout.ms", 1500),
                new StringSerializer(), new ByteArraySerializer());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        ExecutorService workers = Executors.newFixedThreadPool(32);
        server.setExecutor(workers);
        server.createContext("/", exchange -> handle(exchange, producer, topic));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            workers.shutdown();
            producer.close();
        }));
    }

    private static void handle(HttpExchange exchange, KafkaProducer<String, byte[]> producer, String topic)
            throws IOException {
        try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            byte[] body = in.readAllBytes();
            int status;
            byte[] answer;
            if (!"POST".equals(exchange.getRequestMethod())) {
                status = 200;
                answer = "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    producer.send(new ProducerRecord<>(topic, "bare", body)).get(5, TimeUnit.SECONDS);
                    status = 202;
                    answer = "{\"published\":true}".getBytes(StandardCharsets.UTF_8);
                } catch (Exception e) {
                    status = 503;
                    answer = "{\"published\":false}".getBytes(StandardCharsets.UTF_8);
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            out.write(answer);
        }
    }
}
