package io.trunkline.promotion.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The reconciliation of missed webhooks for one repository ({@code "reconcile": {"interval": "10m"}}): every
 * {@code interval} (at least a minute) promotion-service asks Bitbucket for the trunk head, the release tags and
 * the open pull requests, and raises the events whose webhooks never arrived. Absent: off.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReconcileSetting(String interval) {
}
