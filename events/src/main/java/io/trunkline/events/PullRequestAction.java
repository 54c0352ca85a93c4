package io.trunkline.events;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum PullRequestAction {
    @JsonProperty("opened") OPENED,
    @JsonProperty("updated") UPDATED,
    @JsonProperty("merged") MERGED,
    @JsonProperty("declined") DECLINED
}
