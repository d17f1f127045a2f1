package io.dlrgate.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain TCP connection to the HTTP listener, for what an HTTP client library would not send. */
public final class RawHttp implements AutoCloseable {

    final Socket socket;

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
    }

    public RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads until {@code marker} has been seen; false if the connection closed first. */
    public boolean readUntil(String marker, Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        StringBuilder seen = new StringBuilder();
        InputStream in = socket.getInputStream();
        int b;
        while ((b = in.read()) >= 0) {
            seen.append((char) b);
            if (seen.indexOf(marker) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** True when the server closes the connection within {@code d} (whatever it sends first is skipped). */
    boolean closedByServerWithin(Duration d) throws IOException {
        socket.setSoTimeout((int) d.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // skip what the server sent before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
