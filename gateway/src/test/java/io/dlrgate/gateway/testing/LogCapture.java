package io.dlrgate.gateway.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The log lines written while an action runs: what a test asserts about logging (how many, how escaped). */
public final class LogCapture {

    /** An action that may throw. */
    public interface Action {
        void run() throws Exception;
    }

    /** What was logged, and how long the action took. */
    public record Lines(List<ILoggingEvent> events, long elapsedNanos) {

        /** The formatted messages of the events. */
        public List<String> messages() {
            return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private LogCapture() {
    }

    /** The lines {@code source}'s logger (every logger's, for null) received while {@code action} ran. */
    public static Lines during(Class<?> source, Action action) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(source == null ? org.slf4j.Logger.ROOT_LOGGER_NAME
                : source.getName());
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        long start = System.nanoTime();
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
        }
        long elapsed = System.nanoTime() - start;
        synchronized (appender) { // other threads append under the appender's lock (AppenderBase.doAppend)
            return new Lines(List.copyOf(appender.list), elapsed);
        }
    }
}
