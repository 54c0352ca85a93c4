package io.trunkline.status.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The four DORA figures of one environment (of one repository, or of all) over {@code [from, to)},
 * with a daily series for charts. Durations are in seconds; a figure without samples is null.
 * Definitions: status-reporter's README.
 */
public record DoraReport(
        String repository,
        String environment,
        int days,
        Instant from,
        Instant to,
        DeploymentFrequency deploymentFrequency,
        LeadTime leadTimeForChanges,
        ChangeFailureRate changeFailureRate,
        TimeToRestore timeToRestore,
        List<Day> daily) {

    /** Successful deployments in the period, and per day on average. */
    public record DeploymentFrequency(long deployments, double perDay) {
    }

    /** From the commit's first push to its successful deployment: median and 90th percentile over the deployments. */
    public record LeadTime(long samples, Double medianSeconds, Double p90Seconds) {
    }

    /** Finished deployments, those that failed or were followed by a failure or rollback within the window, and their share. */
    public record ChangeFailureRate(long deployments, long failedChanges, Double rate) {
    }

    /** Failures of a working environment, how many were restored by a later success, and the median time that took. */
    public record TimeToRestore(long failures, long restored, Double medianSeconds) {
    }

    /** One UTC day: successful deployments, failed deployments and the median lead time of that day's successes. */
    public record Day(LocalDate date, long deployments, long failures, Double medianLeadTimeSeconds) {
    }
}
