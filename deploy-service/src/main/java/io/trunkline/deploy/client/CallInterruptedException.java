package io.trunkline.deploy.client;

/**
 * The calling thread was interrupted (the process is stopping) before the target's outcome was
 * known: the run is left to lease recovery, which decides whether it may be called again.
 */
public class CallInterruptedException extends RuntimeException {

    public CallInterruptedException(String message) {
        super(message);
    }
}
