package io.trunkline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRankInMilliseconds() {
        List<Long> micros = new ArrayList<>();
        for (long i = 100; i >= 1; i--) {
            micros.add(i * 1000); // 1 ms .. 100 ms, unsorted
        }
        Latencies latencies = Latencies.of(micros);

        assertThat(latencies.count()).isEqualTo(100);
        assertThat(latencies.p50()).isEqualTo(50.0);
        assertThat(latencies.p95()).isEqualTo(95.0);
        assertThat(latencies.p99()).isEqualTo(99.0);
        assertThat(latencies.max()).isEqualTo(100.0);
        assertThat(latencies.summary()).isEqualTo("p50 50.0 ms, p95 95.0 ms, p99 99.0 ms, max 100.0 ms (n=100)");
    }

    @Test
    void noLatenciesAreNotANumber() {
        Latencies none = Latencies.of(List.of());

        assertThat(none.p99()).isNaN();
        assertThat(Latencies.format(none.p99())).isEqualTo("n/a");
        assertThat(Latencies.format(1234.5)).isEqualTo("1.23 s");
        assertThat(Latencies.format(2.345)).isEqualTo("2.35 ms");
    }

    @Test
    void theHistogramPutsEachSeriesInLogarithmicBuckets() {
        Latencies fast = Latencies.of(List.of(2_000L, 2_100L, 2_200L, 2_300L)); // ~2 ms
        Latencies slow = Latencies.of(List.of(1_500_000L)); // 1.5 s

        String svg = HistogramSvg.render("webhook → deploy call", List.of(
                new HistogramSvg.Series("Trunkline", "#c0392b", slow), new HistogramSvg.Series("floor", "#2471a3", fast)));

        assertThat(svg).startsWith("<svg").endsWith("</svg>\n")
                .contains("webhook → deploy call", "Trunkline: p50 1.50 s", "floor: p50 2.10 ms", "100%")
                .containsOnlyOnce("stroke=\"#c0392b\" stroke-width")
                .doesNotContain("NaN");
    }
}
