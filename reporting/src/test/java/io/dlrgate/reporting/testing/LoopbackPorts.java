package io.dlrgate.reporting.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for processes a test starts itself (HAProxy, a replica PostgreSQL, a fake gateway), which need a number. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /**
     * A port free on the loopback address now. The caller's process binds it a moment later, so another process may
     * take it in between: rare enough on loopback, and the process then fails at start with "address in use".
     */
    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
