package io.trunkline.promotion.service;

import java.util.List;

/** A repository configuration that was refused, with every invalid field. Nothing of it was stored. */
public class InvalidConfigurationException extends RuntimeException {

    private final List<ConfigurationError> errors;

    public InvalidConfigurationException(String repository, List<ConfigurationError> errors) {
        super("The configuration of " + repository + " has " + errors.size() + " invalid field(s).");
        this.errors = List.copyOf(errors);
    }

    public List<ConfigurationError> errors() {
        return errors;
    }
}
