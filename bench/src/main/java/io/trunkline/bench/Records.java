package io.trunkline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the recording servers received, fetched from their {@code GET /records} as it grows. */
final class Records {

    private final HttpClient client = HttpClient.newHttpClient();
    private final String targetUrl;
    private final String bitbucketUrl;
    private int targetRead;
    private int bitbucketRead;
    /** Receive times of each target call, by commit (Trunkline) or id (floor). */
    private final Map<String, List<Long>> calls = new HashMap<>();
    /** Receive time of the first SUCCESSFUL commit status, by commit. */
    private final Map<String, Long> successful = new HashMap<>();
    private final Map<String, Integer> states = new HashMap<>();

    Records(String targetUrl, String bitbucketUrl) {
        this.targetUrl = targetUrl;
        this.bitbucketUrl = bitbucketUrl;
    }

    /** Reads what arrived since the last call. */
    synchronized void refresh() {
        for (String line : fetch(targetUrl, targetRead)) {
            targetRead++;
            String[] fields = line.split(" ");
            String key = fields[1].equals("deploy") ? fields[3] : fields[2];
            calls.computeIfAbsent(key, k -> new ArrayList<>()).add(Long.parseLong(fields[0]));
        }
        for (String line : fetch(bitbucketUrl, bitbucketRead)) {
            bitbucketRead++;
            String[] fields = line.split(" ");
            states.merge(fields[4], 1, Integer::sum);
            if (fields[4].equals("SUCCESSFUL")) {
                successful.putIfAbsent(fields[3], Long.parseLong(fields[0]));
            }
        }
    }

    private List<String> fetch(String base, int from) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/records?from=" + from)).build();
        try {
            String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return body.isEmpty() ? List.of() : List.of(body.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recording servers' records", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The receive times of the target's calls for {@code key}, in order; empty when never called. */
    synchronized List<Long> calls(String key) {
        return List.copyOf(calls.getOrDefault(key, List.of()));
    }

    /** When the first SUCCESSFUL status for {@code commit} arrived, or null. */
    synchronized Long successful(String commit) {
        return successful.get(commit);
    }

    /** How many records (calls and statuses) arrived so far. */
    synchronized int count() {
        return targetRead + bitbucketRead;
    }

    /** How many commit statuses of each state arrived so far. */
    synchronized Map<String, Integer> states() {
        return Map.copyOf(states);
    }
}
