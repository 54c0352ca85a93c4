package io.trunkline.promotion.service;

/**
 * The caller may not approve this deployment: its environment lists {@code approvers} and the caller's
 * token grants none of those roles or groups.
 */
public class ApprovalNotAllowedException extends RuntimeException {

    public ApprovalNotAllowedException(String message) {
        super(message);
    }
}
