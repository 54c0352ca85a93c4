package io.trunkline.promotion.service;

/** What an audit entry records. {@link #id()} is how the API names it. */
public enum AuditAction {
    CONFIGURATION_CREATED("configuration.created"),
    CONFIGURATION_REPLACED("configuration.replaced"),
    CONFIGURATION_DELETED("configuration.deleted"),
    DEPLOYMENT_APPROVED("deployment.approved"),
    DEPLOYMENT_CANCELLED("deployment.cancelled"),
    FREEZE_OVERRIDDEN("deployment.freeze-overridden"),
    ENVIRONMENT_REDEPLOYED("environment.redeployed"),
    ENVIRONMENT_ROLLED_BACK("environment.rolled-back"),
    ENVIRONMENT_RELEASED("environment.released");

    private final String id;

    AuditAction(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The action the API names {@code id}; null when there is none. */
    public static AuditAction fromId(String id) {
        for (AuditAction action : values()) {
            if (action.id.equals(id)) {
                return action;
            }
        }
        return null;
    }
}
