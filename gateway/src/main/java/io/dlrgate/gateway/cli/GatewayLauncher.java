package io.dlrgate.gateway.cli;

import io.dlrgate.config.ConfigException;
import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.app.PortUnavailableException;
import io.dlrgate.gateway.tls.CertificateFileException;
import io.dlrgate.reporting.db.Database;
import java.time.Clock;

/**
 * What every command that runs a gateway does first: resolve and validate the config, start the gateway, and
 * turn the two expected start failures into a clear message and an exit code instead of a stack trace.
 */
public final class GatewayLauncher {

    /** Exit code for an invalid configuration. */
    public static final int EXIT_BAD_CONFIG = 2;
    /** Exit code for a store that cannot be opened. */
    public static final int EXIT_NO_DATABASE = 3;
    /** Exit code for a listener that cannot bind its port: like a missing store, the environment is in the way. */
    public static final int EXIT_PORT_UNAVAILABLE = 3;

    /** The gateway did not start; {@link #exitCode()} says why, the message was printed already. */
    public static final class StartFailed extends Exception {
        private final int exitCode;

        StartFailed(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private GatewayLauncher() {
    }

    /** The resolved, valid config; an invalid one is printed and fails with {@link #EXIT_BAD_CONFIG}. */
    static GatewayConfig config(String configOption, boolean allowNoCarriers) throws StartFailed {
        try {
            return ConfigLoader.resolve(configOption, System.getenv(), allowNoCarriers);
        } catch (ConfigException e) {
            System.err.println("dlrgate: invalid configuration\n" + e.getMessage());
            throw new StartFailed(EXIT_BAD_CONFIG, e.getMessage());
        }
    }

    /**
     * @param configOption    the {@code --config} value, or {@code null} for $DLRGATE_CONFIG or the default
     * @param allowNoCarriers the {@code --allow-no-carriers} flag: start even when the file configures no carrier
     */
    public static Gateway start(String configOption, boolean allowNoCarriers) throws Exception {
        GatewayConfig cfg = config(configOption, allowNoCarriers);
        try {
            return Gateway.start(cfg, Clock.systemUTC());
        } catch (Database.DatabaseUnavailableException e) {
            System.err.println("dlrgate: " + e.getMessage());
            throw new StartFailed(EXIT_NO_DATABASE, e.getMessage());
        } catch (PortUnavailableException e) {
            System.err.println("dlrgate: " + e.getMessage());
            throw new StartFailed(EXIT_PORT_UNAVAILABLE, e.getMessage());
        } catch (CertificateFileException e) {
            // Checked after the config was read: the files exist, but their contents cannot be used.
            System.err.println("dlrgate: " + e.getMessage());
            throw new StartFailed(EXIT_BAD_CONFIG, e.getMessage());
        }
    }
}
