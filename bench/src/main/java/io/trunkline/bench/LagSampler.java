package io.trunkline.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Every 250 ms, the consumer lag of every consumer group on the broker, from the broker: each group's committed
 * offsets against the partitions' end offsets ({@code listConsumerGroupOffsets} and {@code listOffsets}).
 */
final class LagSampler implements AutoCloseable {

    /** The lag summed over all groups at a time, and the largest group's. */
    record Sample(long micros, long totalLag, Map<String, Long> byGroup) {
    }

    private final Admin admin;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lag-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Sample> samples = new ArrayList<>();

    LagSampler(String bootstrapServers) {
        admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers, "request.timeout.ms", "5000"));
        scheduler.scheduleWithFixedDelay(this::sample, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try {
            long at = Micros.now();
            Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(5, TimeUnit.SECONDS)) {
                groups.put(group.groupId(), new ListConsumerGroupOffsetsSpec());
            }
            if (groups.isEmpty()) {
                return;
            }
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            var offsets = admin.listConsumerGroupOffsets(groups);
            for (String group : groups.keySet()) {
                Map<TopicPartition, OffsetAndMetadata> groupOffsets = offsets.partitionsToOffsetAndMetadata(group).get(5, TimeUnit.SECONDS);
                committed.put(group, groupOffsets);
                groupOffsets.keySet().forEach(partition -> ends.put(partition, OffsetSpec.latest()));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(ends).all().get(5, TimeUnit.SECONDS);
            long total = 0;
            Map<String, Long> byGroup = new HashMap<>();
            for (var group : committed.entrySet()) {
                long lag = 0;
                for (var partition : group.getValue().entrySet()) {
                    if (partition.getValue() != null && end.containsKey(partition.getKey())) {
                        lag += Math.max(0, end.get(partition.getKey()).offset() - partition.getValue().offset());
                    }
                }
                byGroup.put(group.getKey(), lag);
                total += lag;
            }
            synchronized (samples) {
                samples.add(new Sample(at, total, byGroup));
            }
        } catch (Exception e) {
            // one sample missed (a timeout under load) is not worth stopping the sampling for
        }
    }

    /** The samples taken between the two times. */
    List<Sample> between(long fromMicros, long toMicros) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.micros() >= fromMicros && s.micros() <= toMicros).toList();
        }
    }

    /** The latest sample, if any. */
    Sample latest() {
        synchronized (samples) {
            return samples.isEmpty() ? null : samples.get(samples.size() - 1);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close();
    }
}
