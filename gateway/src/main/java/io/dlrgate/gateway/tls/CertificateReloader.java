package io.dlrgate.gateway.tls;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the listeners' certificates and the outbound binds' trust files when they change (polled: certificate
 * renewers such as certbot or a
 * Kubernetes secret replace files in place or swap symlinks, which a poll of the contents sees either way) and
 * when asked ({@link #reloadNow()}, which {@code dlrgate serve} calls on SIGHUP). One daemon thread.
 */
public final class CertificateReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);
    /** How often the files are read: a renewed certificate is in use within this long. Reading two small files. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(10);

    private final List<Reloadable> certificates;
    private final ScheduledExecutorService poller;

    /** Polls every {@code every}; starts at once. */
    public CertificateReloader(List<? extends Reloadable> certificates, Duration every) {
        this.certificates = List.copyOf(certificates);
        this.poller = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("dlrgate-tls-reload", true));
        long millis = every.toMillis();
        poller.scheduleWithFixedDelay(() -> reloadAll(false), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Reloads every certificate now, off the caller's thread (a signal handler must not block). */
    public void reloadNow() {
        try {
            poller.execute(() -> reloadAll(true));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping: nothing left to reload for
        }
    }

    private void reloadAll(boolean asked) {
        for (Reloadable c : certificates) {
            try {
                c.reloadFiles(asked);
            } catch (RuntimeException e) {
                log.error("{}: reloading the certificate failed", c.configKey(), e);
            }
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
