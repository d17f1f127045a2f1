package io.dlrgate.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kannel 1.4.5 (Debian's {@code kannel} package) as the other ESME of the side-by-side benchmark: bearerbox binds as
 * a transceiver to the SMSC, smsbox takes sends over HTTP (sendsms). The config comes from
 * {@code bench/kannel/kannel.conf.template} (+ {@code dlr-pgsql.conf.template} for {@code dlr-storage = pgsql}), as
 * {@code bench/kannel/run-kannel} fills them, with free loopback ports. Both boxes are stopped at close.
 */
final class KannelBoxes implements AutoCloseable {

    private final Process bearerbox;
    private final Process smsbox;
    final int sendsmsPort;
    final String sendsmsPassword;
    private final int adminPort;
    private final String adminPassword;

    private KannelBoxes(Process bearerbox, Process smsbox, int sendsmsPort, String sendsmsPassword, int adminPort,
                        String adminPassword) {
        this.bearerbox = bearerbox;
        this.smsbox = smsbox;
        this.sendsmsPort = sendsmsPort;
        this.sendsmsPassword = sendsmsPassword;
        this.adminPort = adminPort;
        this.adminPassword = adminPassword;
    }

    /**
     * @param pgDatabase the database holding dlr-table.sql for {@code dlr = pgsql}, or null for {@code internal}
     */
    static KannelBoxes start(Path templates, Path work, int smscPort, String systemId, String password, int window,
                             String dlr, String pgDatabase, String pgUser, int pgPort) throws Exception {
        Files.createDirectories(work);
        int admin = freePort();
        int smsboxPort = freePort();
        int sendsms = freePort();
        String adminPassword = "adm" + System.nanoTime() % 1_000_000;
        String sendsmsPassword = "snd" + System.nanoTime() % 1_000_000;
        Map<String, String> values = Map.ofEntries(Map.entry("ADMIN_PORT", "" + admin),
                Map.entry("ADMIN_PASSWORD", adminPassword), Map.entry("SMSBOX_PORT", "" + smsboxPort),
                Map.entry("SENDSMS_PORT", "" + sendsms), Map.entry("SENDSMS_USER", "bench"),
                Map.entry("SENDSMS_PASSWORD", sendsmsPassword), Map.entry("SMSC_PORT", "" + smscPort),
                Map.entry("SMSC_SYSTEM_ID", systemId), Map.entry("SMSC_PASSWORD", password),
                Map.entry("WINDOW", "" + window), Map.entry("DLR_STORAGE", dlr), Map.entry("WORK", work.toString()),
                Map.entry("LOG_LEVEL", "1"), Map.entry("PG_PORT", "" + pgPort), Map.entry("PG_USER", pgUser),
                Map.entry("PG_PASSWORD", ""), Map.entry("PG_DATABASE", pgDatabase == null ? "" : pgDatabase),
                Map.entry("PG_CONNECTIONS", "4"));
        String conf = fill(Files.readString(templates.resolve("kannel.conf.template")), values);
        if (pgDatabase != null) {
            // Kannel needs a blank line before every group
            conf += "\n\n" + fill(Files.readString(templates.resolve("dlr-pgsql.conf.template")), values);
        }
        Path file = work.resolve("kannel.conf");
        Files.writeString(file, conf);
        Process bb = new ProcessBuilder("bearerbox", file.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("bearerbox.out.log").toFile()).start();
        Thread.sleep(1_000);
        Process sb = new ProcessBuilder("smsbox", file.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("smsbox.out.log").toFile()).start();
        KannelBoxes k = new KannelBoxes(bb, sb, sendsms, sendsmsPassword, admin, adminPassword);
        try {
            k.awaitOnline(Duration.ofSeconds(30));
        } catch (Exception e) {
            k.close();
            throw e;
        }
        return k;
    }

    private static String fill(String template, Map<String, String> values) {
        String s = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            s = s.replace("@" + e.getKey() + "@", e.getValue());
        }
        return s;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until bearerbox says its SMSC link is online and smsbox's sendsms port answers. */
    private void awaitOnline(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + timeout.toNanos();
        String status = "";
        while (System.nanoTime() < end) {
            if (!bearerbox.isAlive()) {
                throw new IllegalStateException("bearerbox exited (" + bearerbox.exitValue() + ")");
            }
            try {
                status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                        + "/status.txt?password=" + adminPassword)).build(), HttpResponse.BodyHandlers.ofString()).body();
                if (status.matches("(?s).*sim.*online.*")) {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sendsmsPort + "/")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Kannel did not come online: " + status);
    }

    List<Long> pids() {
        return List.of(bearerbox.pid(), smsbox.pid());
    }

    @Override
    public void close() {
        for (Process p : List.of(smsbox, bearerbox)) {
            p.destroy();
        }
        for (Process p : List.of(smsbox, bearerbox)) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
