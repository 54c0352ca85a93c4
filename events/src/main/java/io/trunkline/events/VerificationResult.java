package io.trunkline.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How a deployment's post-deploy checks went, as deploy-service publishes it on the states of the
 * deployment ({@link DeploymentStateChanged#verification()}): {@code outcome} is {@code running} while they
 * run, then {@code passed} or {@code failed}; {@code failedCheck} names the first check that failed. Each
 * check's result carries, for a Postman collection, newman's summary. Never a secret: variable values are
 * not reported, and failure messages are newman's assertion messages.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerificationResult(String outcome, String failedCheck, List<CheckResult> checks) {

    public static final String RUNNING = "running";
    public static final String PASSED = "passed";
    public static final String FAILED = "failed";

    public boolean failed() {
        return FAILED.equals(outcome);
    }

    /**
     * One check: {@code outcome} {@code passed} or {@code failed} (or {@code running}), {@code attempts} the
     * requests or runs made, {@code detail} what happened for people, {@code summary} newman's for a Postman
     * collection (null for an http check).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckResult(String name, String type, String outcome, Integer attempts, String detail,
            PostmanSummary summary) {
    }

    /** A newman run's totals and its first failures (at most a few). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PostmanSummary(int requests, int requestsFailed, int assertions, int assertionsFailed,
            List<Failure> failures) {
    }

    /** A failed assertion or request: its name (the test, or the request) and newman's message. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(String name, String message) {
    }
}
