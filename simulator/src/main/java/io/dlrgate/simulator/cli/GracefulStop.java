package io.dlrgate.simulator.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM for a command that must finish its work (stop its carriers, print its report, write its
 * ledger) before the JVM exits: the shutdown hook runs {@code onStop}, then keeps the JVM up, bounded, until the
 * command {@link #close() closes} this. Without it the JVM exits while the command is still writing.
 */
final class GracefulStop implements AutoCloseable {

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    GracefulStop(String threadName, Duration finishWait, Runnable onStop) {
        hook = new Thread(() -> {
            onStop.run();
            try {
                finished.await(finishWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, threadName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command is done: the JVM may exit. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it was waiting for this
        }
    }
}
