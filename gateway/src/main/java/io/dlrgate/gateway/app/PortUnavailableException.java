package io.dlrgate.gateway.app;

import java.net.BindException;

/**
 * A listener could not bind its address: the port is taken (another dlrgate, another program) or the host is
 * not an address of this machine. Carries what an operator needs to fix it: which listener, which address, and
 * the config key and environment variable that set the port.
 */
public final class PortUnavailableException extends Exception {

    /** Starts one listener. */
    @FunctionalInterface
    interface Listen {
        void run() throws Exception;
    }

    PortUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Runs {@code listen}; a failure caused by a {@link BindException} becomes a one-line
     * {@code HTTP port 127.0.0.1:8080 is in use (http.port / DLRGATE_HTTP_PORT)}, anything else passes unchanged.
     */
    static void listen(String listener, String host, int port, String key, String envVariable, Listen listen)
            throws Exception {
        try {
            listen.run();
        } catch (PortUnavailableException e) {
            throw e; // already says which listener (one start may run two: SMPP plain and TLS)
        } catch (Exception e) {
            String reason = bindFailure(e);
            if (reason == null) {
                throw e;
            }
            String what = reason.toLowerCase(java.util.Locale.ROOT).contains("in use")
                    ? "is in use" : "cannot be bound (" + reason + ")";
            throw new PortUnavailableException(listener + " port " + host + ":" + port + " " + what + " (" + key
                    + " / " + envVariable + ")", e);
        }
    }

    /** The BindException's message, or null when the failure was not one; ch-smpp keeps only its text. */
    private static String bindFailure(Throwable e) {
        String marker = BindException.class.getName() + ": ";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException b) {
                return String.valueOf(b.getMessage());
            }
            String m = t.getMessage();
            if (m != null && m.contains(marker)) {
                return m.substring(m.indexOf(marker) + marker.length());
            }
        }
        return null;
    }
}
