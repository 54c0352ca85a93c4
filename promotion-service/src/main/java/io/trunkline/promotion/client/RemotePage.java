package io.trunkline.promotion.client;

import java.util.List;

/** One page of a Bitbucket list and where the next one starts (null: this was the last). */
public record RemotePage<T>(List<T> values, Integer next) {

    public RemotePage {
        values = values == null ? List.of() : List.copyOf(values);
    }
}
