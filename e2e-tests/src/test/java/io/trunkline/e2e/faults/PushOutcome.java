package io.trunkline.e2e.faults;

import io.trunkline.e2e.faults.BitbucketStatusApi.PostedStatus;
import io.trunkline.e2e.faults.DeployTarget.Answer;
import io.trunkline.e2e.faults.DeployTarget.Call;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What became of one delivery: its attempts, the deploy calls the target received for its commit and
 * the statuses Bitbucket was sent, judged against what the push {@linkplain Push.Expected expected}.
 */
record PushOutcome(Delivery delivery, List<Call> calls, List<PostedStatus> posts, boolean outcomeUnknownAllowed) {

    static final String OUTCOME_UNKNOWN = "outcome unknown";
    private static final List<String> FINAL_STATES = List.of("SUCCESSFUL", "FAILED", "STOPPED");

    enum Verdict {
        DEPLOYED_ONCE(true, "deployed once, SUCCESSFUL"),
        FAILED_OUTCOME_UNKNOWN(true, "called once, FAILED as outcome unknown"),
        NOT_ACCEPTED(false, "never answered 202"),
        DEPLOYED_TWICE(false, "deployed more than once"),
        LOST(false, "accepted, but no final commit status"),
        WRONG_OUTCOME(false, "final status or deploy calls not as expected");

        final boolean passed;
        final String meaning;

        Verdict(boolean passed, String meaning) {
            this.passed = passed;
            this.meaning = meaning;
        }
    }

    static PushOutcome of(Delivery delivery, DeployTarget target, BitbucketStatusApi bitbucket, boolean outcomeUnknownAllowed) {
        String commit = delivery.push().commit();
        return new PushOutcome(delivery, target.callsFor(commit), bitbucket.postsFor(commit), outcomeUnknownAllowed);
    }

    Push push() {
        return delivery.push();
    }

    /** Calls that deployed, or may have: answered 200, or held open with the outcome unknown to the caller. */
    long deployingCalls() {
        return calls.stream().filter(call -> call.answer() != Answer.SERVER_ERROR).count();
    }

    long deployedCalls() {
        return calls.stream().filter(call -> call.answer() == Answer.DEPLOYED).count();
    }

    List<PostedStatus> storedStatuses() {
        return posts.stream().filter(PostedStatus::stored).toList();
    }

    /** The status Bitbucket shows now: the last one it stored; null when none. */
    PostedStatus shownStatus() {
        List<PostedStatus> stored = storedStatuses();
        return stored.isEmpty() ? null : stored.get(stored.size() - 1);
    }

    boolean hasFinalStatus() {
        PostedStatus shown = shownStatus();
        return shown != null && FINAL_STATES.contains(shown.state());
    }

    /** The shown status as the report counts it, e.g. {@code SUCCESSFUL}, {@code FAILED (outcome unknown)}, {@code none}. */
    String finalStatusLabel() {
        PostedStatus shown = shownStatus();
        if (shown == null) {
            return "none";
        }
        return saysOutcomeUnknown(shown) ? shown.state() + " (outcome unknown)" : shown.state();
    }

    /** The shown status and its description with times and ids left out, so that alike outcomes group together. */
    String shownStatusInGeneral() {
        PostedStatus shown = shownStatus();
        if (shown == null) {
            return "no status";
        }
        String description = shown.description()
                .replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z", "<time>")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");
        return shown.state() + (description.isBlank() ? "" : " \"" + description + "\"");
    }

    long throttledPosts() {
        return posts.stream().filter(post -> post.answered() == 429).count();
    }

    boolean isSettled() {
        return delivery.isResolved() && (!delivery.isAccepted() || hasFinalStatus());
    }

    Verdict verdict() {
        if (!delivery.isAccepted()) {
            return Verdict.NOT_ACCEPTED;
        }
        if (deployingCalls() > 1) {
            return Verdict.DEPLOYED_TWICE;
        }
        if (!hasFinalStatus()) {
            return Verdict.LOST;
        }
        PostedStatus shown = shownStatus();
        boolean failedUnknown = shown.state().equals("FAILED") && saysOutcomeUnknown(shown);
        return switch (push().expected()) {
            case DEPLOYED -> {
                if (shown.state().equals("SUCCESSFUL") && deployedCalls() == 1 && deployingCalls() == 1) {
                    yield Verdict.DEPLOYED_ONCE;
                }
                yield outcomeUnknownAllowed && failedUnknown ? Verdict.FAILED_OUTCOME_UNKNOWN : Verdict.WRONG_OUTCOME;
            }
            case FAILED_OUTCOME_UNKNOWN -> failedUnknown && calls.size() == 1
                    ? Verdict.FAILED_OUTCOME_UNKNOWN : Verdict.WRONG_OUTCOME;
        };
    }

    Instant lastActivity() {
        Instant last = delivery.attempts().stream().map(Delivery.Attempt::at).max(Instant::compareTo).orElse(Instant.MIN);
        for (Call call : calls) {
            last = call.at().isAfter(last) ? call.at() : last;
        }
        for (PostedStatus post : posts) {
            last = post.at().isAfter(last) ? post.at() : last;
        }
        return last;
    }

    /** One line with everything that happened to this push, times relative to {@code start}. */
    String describe(Instant start) {
        Push push = push();
        String attempts = delivery.attempts().stream()
                .map(attempt -> attempt.answer() + " " + since(start, attempt.at()))
                .collect(Collectors.joining(", "));
        String deployCalls = calls.isEmpty() ? "none" : calls.stream()
                .map(call -> call.answer().name() + " " + since(start, call.at()))
                .collect(Collectors.joining(", "));
        String statuses = posts.isEmpty() ? "none" : posts.stream()
                .map(post -> post.state() + (post.stored() ? "" : "→" + post.answered()) + " " + since(start, post.at()))
                .collect(Collectors.joining(", "));
        PostedStatus shown = shownStatus();
        return String.format(Locale.ROOT, "%s commit %s (expected %s, delivery %s): %s — webhook: %s; target: %s; "
                        + "Bitbucket: %s%s",
                push.repository(), push.commit().substring(0, 12), push.expected(), delivery.deliveryId(),
                verdict().meaning, attempts.isEmpty() ? "never sent" : attempts + " → " + delivery.state(),
                deployCalls, statuses, shown == null || shown.description().isBlank() ? "" : "; last description: \""
                        + shown.description() + "\"");
    }

    private static boolean saysOutcomeUnknown(PostedStatus status) {
        return status.description().toLowerCase(Locale.ROOT).contains(OUTCOME_UNKNOWN);
    }

    static String since(Instant start, Instant at) {
        return String.format(Locale.ROOT, "+%.1fs", Duration.between(start, at).toMillis() / 1000.0);
    }
}
