package io.trunkline.events;

public enum DeploymentState {
    QUEUED,
    WAITING_APPROVAL,
    IN_PROGRESS,
    SUCCEEDED,
    FAILED,
    REJECTED,
    SUPERSEDED,
    CANCELLED;

    public boolean isFinal() {
        return switch (this) {
            case SUCCEEDED, FAILED, REJECTED, SUPERSEDED, CANCELLED -> true;
            default -> false;
        };
    }
}
