package io.trunkline.status.service;

import java.util.List;

/** One page of deployments, newest first; {@code after} is the cursor of the next page, null on the last. */
public record DeploymentPage(List<DeploymentView> items, String after) {
}
