package io.trunkline.promotion.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A time in which an environment does not change: deployments that arrive in it wait (QUEUED) and start
 * when it closes. Either recurring, a {@code cron} start (five fields: minute hour day-of-month month
 * day-of-week) plus a {@code duration}, or one period from {@code start} to {@code end} (local date-times,
 * {@code 2026-12-23T18:00}); both read in the IANA time {@code zone} ({@code Europe/Berlin}). {@code name}
 * is optional, for people.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FreezeWindow(String name, String cron, String duration, String start, String end, String zone) {
}
