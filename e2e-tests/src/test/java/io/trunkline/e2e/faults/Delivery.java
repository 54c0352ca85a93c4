package io.trunkline.e2e.faults;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One webhook delivery of a {@link Push} as Bitbucket makes it: a single {@code X-Request-UUID},
 * sent again after any answer that asks for it, until webhook-ingest accepts it (202) or the suite
 * gives up. Thread-safe: the stream's threads write it, the test reads it.
 */
final class Delivery {

    /** What one attempt got back: an HTTP status, or the connection failure. */
    record Attempt(Instant at, String endpoint, String answer) {
    }

    enum State {
        PENDING,
        /** 202. */
        ACCEPTED,
        /** An answer that Bitbucket would not retry (a 4xx, or 200 "nothing to do"). */
        REFUSED,
        /** Still not accepted when the suite stopped resending. */
        GAVE_UP
    }

    private final Push push;
    private final String deliveryId = UUID.randomUUID().toString();
    private final List<Attempt> attempts = new ArrayList<>();
    private State state = State.PENDING;
    private Instant acceptedAt;

    Delivery(Push push) {
        this.push = push;
    }

    Push push() {
        return push;
    }

    String deliveryId() {
        return deliveryId;
    }

    synchronized void attempted(Attempt attempt) {
        attempts.add(attempt);
    }

    synchronized void accepted(Instant at) {
        state = State.ACCEPTED;
        acceptedAt = at;
    }

    synchronized void refused() {
        state = State.REFUSED;
    }

    synchronized void gaveUp() {
        state = State.GAVE_UP;
    }

    synchronized State state() {
        return state;
    }

    synchronized boolean isAccepted() {
        return state == State.ACCEPTED;
    }

    synchronized boolean isResolved() {
        return state != State.PENDING;
    }

    synchronized Instant acceptedAt() {
        return acceptedAt;
    }

    synchronized Instant firstSentAt() {
        return attempts.isEmpty() ? null : attempts.get(0).at();
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Answers other than 202 and 503 and the connection failures, which the contract does not allow. */
    synchronized List<String> unexpectedAnswers() {
        return attempts.stream().map(Attempt::answer)
                .filter(answer -> answer.matches("\\d{3}") && !answer.equals("202") && !answer.equals("503"))
                .toList();
    }
}
