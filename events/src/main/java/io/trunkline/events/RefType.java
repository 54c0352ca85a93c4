package io.trunkline.events;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum RefType {
    @JsonProperty("branch") BRANCH,
    @JsonProperty("tag") TAG
}
