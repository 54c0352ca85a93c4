package io.trunkline.e2e.faults;

import io.trunkline.e2e.faults.PushOutcome.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One scenario's outcome, push by push, and the counts of the report's table.
 *
 * @param id          orders the report's rows, e.g. {@code 1a}
 * @param settledIn   from the first delivery to the last final commit status
 * @param timeline    the steps of the fault, as the scenario played them
 * @param remarks     what the scenario noticed besides the pushes (a service that did not come back, ...)
 */
record ScenarioResult(String id, String name, Instant start, List<PushOutcome> outcomes, Duration settledIn,
        List<Mark> timeline, List<String> remarks) {

    /** A step of the fault and when it happened. */
    record Mark(Instant at, String step) {
    }

    int sent() {
        return (int) outcomes.stream().filter(outcome -> !outcome.delivery().attempts().isEmpty()).count();
    }

    int accepted() {
        return count(outcome -> outcome.delivery().isAccepted());
    }

    /** Deliveries that needed more than one attempt. */
    int resent() {
        return count(outcome -> outcome.delivery().attempts().size() > 1);
    }

    int notAccepted() {
        return count(outcome -> !outcome.delivery().isAccepted());
    }

    long deployedCalls() {
        return outcomes.stream().mapToLong(PushOutcome::deployedCalls).sum();
    }

    long allCalls() {
        return outcomes.stream().mapToLong(outcome -> outcome.calls().size()).sum();
    }

    int duplicates() {
        return count(outcome -> outcome.deployingCalls() > 1);
    }

    /** Accepted, and no final commit status came of it. */
    int lost() {
        return count(outcome -> outcome.delivery().isAccepted() && !outcome.hasFinalStatus());
    }

    long throttledStatusPosts() {
        return outcomes.stream().mapToLong(PushOutcome::throttledPosts).sum();
    }

    /** The statuses Bitbucket shows for the accepted pushes, counted, e.g. {@code 19 SUCCESSFUL, 1 FAILED (outcome unknown)}. */
    String finalStatuses() {
        Map<String, Long> counts = outcomes.stream().filter(outcome -> outcome.delivery().isAccepted())
                .collect(Collectors.groupingBy(PushOutcome::finalStatusLabel, TreeMap::new, Collectors.counting()));
        return counts.isEmpty() ? "-" : counts.entrySet().stream()
                .map(entry -> entry.getValue() + " " + entry.getKey()).collect(Collectors.joining(", "));
    }

    /** What the deliveries got back before their 202, counted, e.g. {@code 503 ×12, connection refused ×5}; "-" when nothing. */
    String answersBefore202() {
        Map<String, Long> counts = outcomes.stream().flatMap(outcome -> outcome.delivery().attempts().stream())
                .map(Delivery.Attempt::answer).filter(answer -> !answer.equals("202"))
                .collect(Collectors.groupingBy(answer -> answer, TreeMap::new, Collectors.counting()));
        return counts.isEmpty() ? "-" : counts.entrySet().stream().map(entry -> entry.getKey() + " ×" + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Answers the contract does not allow (anything but 202 and 503), e.g. {@code 500 ×3}. */
    String unexpectedWebhookAnswers() {
        Map<String, Long> counts = outcomes.stream().flatMap(outcome -> outcome.delivery().unexpectedAnswers().stream())
                .collect(Collectors.groupingBy(answer -> answer, TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(entry -> entry.getKey() + " ×" + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    List<PushOutcome> problems() {
        return outcomes.stream().filter(outcome -> !outcome.verdict().passed).toList();
    }

    boolean passed() {
        return problems().isEmpty() && unexpectedWebhookAnswers().isEmpty() && remarks.isEmpty();
    }

    /** Everything that went wrong, one line per push (at most {@code limit}), for the assertion message and the report. */
    String problemDetails(int limit) {
        StringBuilder details = new StringBuilder();
        if (!timeline.isEmpty()) {
            details.append("- timeline (from the first delivery): ").append(timeline.stream()
                    .map(mark -> mark.step() + " " + PushOutcome.since(start, mark.at()))
                    .collect(Collectors.joining(", "))).append('\n');
        }
        remarks.forEach(remark -> details.append("- ").append(remark).append('\n'));
        if (!unexpectedWebhookAnswers().isEmpty()) {
            details.append("- webhook-ingest gave answers the contract does not allow (only 202 and 503): ")
                    .append(unexpectedWebhookAnswers()).append('\n');
        }
        Map<Verdict, Long> byVerdict = problems().stream()
                .collect(Collectors.groupingBy(PushOutcome::verdict, TreeMap::new, Collectors.counting()));
        byVerdict.forEach((verdict, count) -> details.append(String.format(Locale.ROOT, "- %d of %d pushes: %s%n",
                count, outcomes.size(), verdict.meaning)));
        Map<String, Long> byShownStatus = problems().stream()
                .collect(Collectors.groupingBy(PushOutcome::shownStatusInGeneral, TreeMap::new, Collectors.counting()));
        if (!byShownStatus.isEmpty()) {
            details.append("- what Bitbucket shows for them: ").append(byShownStatus.entrySet().stream()
                    .map(entry -> entry.getValue() + " × " + entry.getKey()).collect(Collectors.joining("; "))).append('\n');
        }
        problems().stream().limit(limit).forEach(outcome -> details.append("  - ").append(outcome.describe(start)).append('\n'));
        if (problems().size() > limit) {
            details.append("  - … and ").append(problems().size() - limit).append(" more\n");
        }
        return details.toString();
    }

    private int count(java.util.function.Predicate<PushOutcome> predicate) {
        return (int) outcomes.stream().filter(predicate).count();
    }
}
