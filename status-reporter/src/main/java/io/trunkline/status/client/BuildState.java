package io.trunkline.status.client;

/** The states of a Bitbucket build status, Cloud and Data Center alike. */
public enum BuildState {
    INPROGRESS,
    SUCCESSFUL,
    FAILED,
    STOPPED
}
