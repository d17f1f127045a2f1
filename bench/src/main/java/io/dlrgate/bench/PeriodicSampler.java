package io.dlrgate.bench;

/**
 * A daemon thread that runs a sample every 50 ms (or the interval given) between {@link #start} and {@link #stop}: what the benchmark's
 * heap and CPU monitors both need. Its name must not start with {@code bench-} or {@code dlrgate-}: the CPU split
 * counts threads by those prefixes, and a sampler is neither the load generator nor the gateway.
 */
final class PeriodicSampler {

    static final long INTERVAL_MS = 50;

    private final String name;
    private final Runnable sample;
    private final long intervalMs;
    private volatile boolean running;
    private Thread thread;

    PeriodicSampler(String name, Runnable sample) {
        this(name, sample, INTERVAL_MS);
    }

    PeriodicSampler(String name, Runnable sample, long intervalMs) {
        this.name = name;
        this.sample = sample;
        this.intervalMs = intervalMs;
    }

    void start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                sample.run();
                try {
                    Thread.sleep(intervalMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread and waits (up to a second) until its last sample is done. */
    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
