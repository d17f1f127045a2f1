package io.dlrgate.gateway.testing;

import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.reporting.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy process (Debian's package) running {@code ops/haproxy.cfg} in front of two gateway instances on
 * loopback (in this JVM or processes of their own), its listeners on free ports; the file's environment variables
 * say where. Missing HAProxy fails the test with how to install it: a balancer test that silently skips proves
 * nothing.
 */
public final class Haproxy implements AutoCloseable {

    /** Where HAProxy finds one instance on 127.0.0.1. */
    public record Backend(int httpPort, int smppPort) {
        public static Backend of(Gateway g) {
            return new Backend(g.httpPort(), g.smppPort());
        }
    }

    static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/local/sbin/haproxy"),
            Path.of("/usr/bin/haproxy"));

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int smppPort;

    private Haproxy(Process process, Path log, int httpPort, int smppPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.smppPort = smppPort;
    }

    /** The installed haproxy; fails the test, saying how to install it, when there is none. */
    public static Path binary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
                "HAProxy is not installed (looked for " + BINARIES + "): install Debian's package "
                        + "(apt-get install haproxy; .ci/run does it) to run the load-balancer test"));
    }

    public static Haproxy start(Path binary, Gateway one, Gateway two) throws IOException {
        return start(binary, Backend.of(one), Backend.of(two));
    }

    public static Haproxy start(Path binary, Backend one, Backend two) throws IOException {
        int httpPort = LoopbackPorts.free();
        int smppPort = LoopbackPorts.free();
        Path log = Files.createTempFile("dlrgate-haproxy", ".log");
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-db", "-f", config().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("HAPROXY_HTTP_BIND", "127.0.0.1:" + httpPort);
        env.put("HAPROXY_SMPP_BIND", "127.0.0.1:" + smppPort);
        env.put("GATEWAY1_HOST", "127.0.0.1");
        env.put("GATEWAY1_HTTP_PORT", Integer.toString(one.httpPort()));
        env.put("GATEWAY1_SMPP_PORT", Integer.toString(one.smppPort()));
        env.put("GATEWAY2_HOST", "127.0.0.1");
        env.put("GATEWAY2_HTTP_PORT", Integer.toString(two.httpPort()));
        env.put("GATEWAY2_SMPP_PORT", Integer.toString(two.smppPort()));
        return new Haproxy(pb.start(), log, httpPort, smppPort);
    }

    /** ops/haproxy.cfg of this checkout (tests run in the module's directory). */
    public static Path config() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path cfg = dir.resolve("ops/haproxy.cfg");
            if (Files.isRegularFile(cfg)) {
                return cfg;
            }
        }
        throw new AssertionError("ops/haproxy.cfg not found above " + Path.of("").toAbsolutePath());
    }

    /** Fails with HAProxy's log when it exited (a config it refused, a port taken). */
    public void assertRunning() throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError("haproxy exited with " + process.exitValue() + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public int smppPort() {
        return smppPort;
    }

    /** Stops HAProxy (its own process only) and prints what it logged, for a failed test's reader. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            System.out.println("---- haproxy log\n" + Files.readString(log, StandardCharsets.UTF_8));
            Files.deleteIfExists(log);
        } catch (IOException e) {
            System.out.println("haproxy log unreadable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
