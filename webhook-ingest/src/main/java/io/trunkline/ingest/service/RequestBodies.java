package io.trunkline.ingest.service;

import io.trunkline.ingest.service.RejectedDeliveryException.Rejection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a request body up to a limit, and no further: a larger body is refused before it has all arrived. */
final class RequestBodies {

    private RequestBodies() {
    }

    /** @throws RejectedDeliveryException {@code TOO_LARGE} as soon as more than {@code maxBytes} arrived */
    static byte[] readAtMost(InputStream in, int maxBytes) {
        if (in == null) {
            return new byte[0];
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(maxBytes, 16 * 1024));
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (body.size() + read > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                body.write(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the request body could not be read", e);
        }
        return body.toByteArray();
    }

    static RejectedDeliveryException tooLarge(long maxBytes) {
        return new RejectedDeliveryException(Rejection.TOO_LARGE,
                "The body is larger than " + maxBytes + " bytes, the most a delivery may have.");
    }
}
