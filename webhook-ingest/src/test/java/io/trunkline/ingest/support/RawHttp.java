package io.trunkline.ingest.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP/1.1 request written by hand on a socket, for what an HTTP client does not let a test do:
 * announce a body it never sends, or stop sending in the middle of a chunked one, and read the
 * answer that comes meanwhile.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * Sends the request head and {@code bodyPart} of the body, then reads the answer without sending more.
     *
     * @param head the header lines after the request line, each ending in CRLF
     */
    public static Answer sendPartly(URL url, String head, byte[] bodyPart) throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\n" + head + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bodyPart);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** {@code size} bytes of body in chunked encoding, without the last chunk: the body has not ended. */
    public static byte[] unfinishedChunks(int size, byte fill) {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        java.util.Arrays.fill(chunk, fill);
        for (int sent = 0; sent < size; sent += chunk.length) {
            chunks.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            chunks.writeBytes(chunk);
            chunks.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        return chunks.toByteArray();
    }

    // reads the status line, the headers and a body of Content-Length bytes (or up to the connection's end)
    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended before the answer's head: " + head);
            }
            head.write(b);
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        int length = -1;
        for (String line : headText.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            int b;
            while ((length < 0 || body.size() < length) && (b = in.read()) >= 0) {
                body.write(b);
            }
        } catch (SocketTimeoutException e) {
            // the answer had no length and the connection stayed open: what arrived is the body
        }
        int status = Integer.parseInt(headText.substring(9, 12));
        return new Answer(status, headText, body.toString(StandardCharsets.UTF_8));
    }

    public record Answer(int status, String head, String body) {

        public boolean hasHeader(String name, String value) {
            return head.toLowerCase(Locale.ROOT).contains("\r\n" + name.toLowerCase(Locale.ROOT) + ": "
                    + value.toLowerCase(Locale.ROOT));
        }
    }
}
