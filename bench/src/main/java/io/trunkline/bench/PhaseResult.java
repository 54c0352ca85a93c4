package io.trunkline.bench;

import java.util.Map;

/**
 * What one phase measured: Trunkline's webhooks, or the floor's requests, at one rate.
 *
 * @param name            "Trunkline" or "floor"
 * @param rate            requests per second sent
 * @param sent            requests sent, warm-up included
 * @param accepted        answered 202
 * @param refused         answered 503 (webhook-ingest could not publish in time; Bitbucket delivers again)
 * @param unanswered      no answer within the sender's 30 s
 * @param otherStatus     answered anything else (a 4xx or another 5xx: never expected)
 * @param measuredAccepted accepted among the measured requests
 * @param lost            accepted, yet the target was never called for them
 * @param duplicates      commits (floor: ids) the target was called for more than once
 * @param answered        request → its answer (or the sender giving up after 30 s), measured requests
 * @param toTarget        request → the target's call, measured requests
 * @param toFinalStatus   webhook → the SUCCESSFUL commit status (Trunkline only, else empty)
 * @param missingStatus   accepted webhooks without a SUCCESSFUL commit status at the end (Trunkline only)
 * @param maxLag          the largest consumer lag over all groups sampled during the phase
 * @param lagZeroAfterMs  from the last request to the lag back at 0 for good, in ms; -1 when it did not
 * @param cpuMillis       CPU time per process during the measured window
 * @param database        per service database, statements and transactions during the measured window (Trunkline only)
 * @param measured        requests in the measured window
 * @param windowSeconds   how long the measured window lasted (until every call arrived)
 */
record PhaseResult(String name, int rate, int sent, int accepted, int refused, int unanswered, int otherStatus,
        int measuredAccepted, int lost, int duplicates, Latencies answered,
        Latencies toTarget, Latencies toFinalStatus, int missingStatus, long maxLag, long lagZeroAfterMs,
        Map<String, Long> cpuMillis, Map<String, DatabaseWork.Counts> database, int measured, double windowSeconds) {

    /** CPU milliseconds per request of the named processes together. */
    double cpuPerRequest(Iterable<String> processes) {
        long total = 0;
        for (String process : processes) {
            total += cpuMillis.getOrDefault(process, 0L);
        }
        return measured == 0 ? Double.NaN : (double) total / measured;
    }
}
