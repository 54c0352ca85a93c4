package io.trunkline.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a deployment does to its environment. */
public enum DeploymentOperation {
    @JsonProperty("deploy") DEPLOY,
    @JsonProperty("teardown") TEARDOWN
}
