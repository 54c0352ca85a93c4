package io.trunkline.promotion.rest;

import io.trunkline.commons.rest.Problem;
import io.trunkline.commons.rest.ProblemException;
import io.trunkline.events.ScmProvider;
import java.util.List;
import java.util.Optional;

/** The optional {@code ?provider=} of repository routes: {@code bitbucket-cloud} or {@code bitbucket-data-center}. */
final class ProviderParameter {

    private ProviderParameter() {
    }

    static Optional<ScmProvider> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ScmProvider.fromId(value));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "invalid-request", "Invalid request",
                    "The query parameter 'provider' must be bitbucket-cloud or bitbucket-data-center.",
                    List.of(new Problem.FieldError("provider", "must be bitbucket-cloud or bitbucket-data-center")));
        }
    }
}
