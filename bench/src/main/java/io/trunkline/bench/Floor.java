package io.trunkline.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor: what the same path costs with no logic at all, plain kafka-clients and a JDK {@code HttpServer}.
 * {@code POST /in/{id}} → topic {@value #REQUESTS} (answered 202 once the broker acknowledged it) → consumer →
 * topic {@value #DEPLOYMENTS} → consumer → {@code POST <target>/floor/{id}}. Topics of 6 partitions, producers
 * with {@code acks=all}, idempotence and {@code linger.ms=0} as the services' producers, consumers committing
 * synchronously after each poll. Arguments: bootstrap servers, the target's base URL. Prints {@code READY port=<port>}
 * once both consumers own their partitions.
 */
public final class Floor {

    static final String REQUESTS = "bench.floor.requests";
    static final String DEPLOYMENTS = "bench.floor.deployments";
    private static final int PARTITIONS = 6;

    private Floor() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String target = args[1];
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            for (String topic : List.of(REQUESTS, DEPLOYMENTS)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(bootstrap));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        CountDownLatch assigned = new CountDownLatch(2);

        hop("floor-hop-1", bootstrap, REQUESTS, assigned, records -> {
            for (ConsumerRecord<String, String> record : records) {
                producer.send(new ProducerRecord<>(DEPLOYMENTS, record.key(), record.value()));
            }
            producer.flush();
        });
        hop("floor-hop-2", bootstrap, DEPLOYMENTS, assigned, records -> {
            for (ConsumerRecord<String, String> record : records) {
                HttpRequest call = HttpRequest.newBuilder(URI.create(target + "/floor/" + record.value()))
                        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build();
                try {
                    client.send(call, HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    throw new IllegalStateException("target call failed", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        });

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/in/", exchange -> accept(exchange, producer));
        server.start();
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the floor's consumers got no partitions within 60 s");
        }
        System.out.println("READY port=" + server.getAddress().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void accept(HttpExchange exchange, KafkaProducer<String, String> producer) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String id = exchange.getRequestURI().getPath().substring("/in/".length());
        int status;
        try {
            producer.send(new ProducerRecord<>(REQUESTS, id, id)).get(5, TimeUnit.SECONDS);
            status = 202;
        } catch (Exception e) {
            status = 503;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static void hop(String group, String bootstrap, String topic, CountDownLatch assigned,
            Consumer<ConsumerRecords<String, String>> work) {
        Thread thread = new Thread(() -> {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                consumer.subscribe(List.of(topic));
                boolean counted = false;
                while (true) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    if (!counted && consumer.assignment().size() == PARTITIONS) {
                        assigned.countDown();
                        counted = true;
                    }
                    if (!records.isEmpty()) {
                        work.accept(records);
                        consumer.commitSync();
                    }
                }
            }
        }, group);
        thread.setDaemon(true);
        thread.start();
    }

    private static Properties producerProperties(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }
}
