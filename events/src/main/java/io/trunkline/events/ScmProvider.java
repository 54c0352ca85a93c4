package io.trunkline.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

public enum ScmProvider {
    BITBUCKET_CLOUD("bitbucket-cloud"),
    BITBUCKET_DATA_CENTER("bitbucket-data-center");

    private final String id;

    ScmProvider(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static ScmProvider fromId(String id) {
        for (ScmProvider provider : values()) {
            if (provider.id.equals(id)) {
                return provider;
            }
        }
        throw new IllegalArgumentException("unknown SCM provider: " + id);
    }
}
