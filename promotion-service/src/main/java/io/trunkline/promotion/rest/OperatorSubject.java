package io.trunkline.promotion.rest;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is calling, as the audit log and the deployments record it. Until the APIs are secured (OIDC, the
 * security issue) every caller is {@value #LOCAL}; then this is the authenticated subject.
 */
@ApplicationScoped
public class OperatorSubject {

    public static final String LOCAL = "local";

    public String current() {
        return LOCAL;
    }
}
