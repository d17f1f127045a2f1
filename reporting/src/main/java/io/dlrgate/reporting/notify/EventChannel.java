package io.dlrgate.reporting.notify;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The PostgreSQL channel that carries live events between gateway instances ({@code NOTIFY dlrgate_events}), and the
 * framing of its payloads: {@code <origin> <message>}, where the origin names the process that sent it, so that a
 * process drops its own notifications (it already handed those events to its own clients) instead of relaying
 * them twice.
 *
 * <p>PostgreSQL refuses payloads of 8000 bytes or more; {@link #MAX_MESSAGE_BYTES} leaves room for the origin.
 */
public final class EventChannel {

    /** The channel name: one for every instance of one database. */
    public static final String NAME = "dlrgate_events";
    /** The largest message (UTF-8 bytes) {@link Notifier#publish} takes: senders split what is longer. */
    public static final int MAX_MESSAGE_BYTES = 7_900;

    private final String origin;

    private EventChannel(String origin) {
        this.origin = origin;
    }

    /** A channel end with an origin of its own: one per process (the publisher and the listener share it). */
    public static EventChannel withNewOrigin() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        return new EventChannel(HexFormat.of().formatHex(b));
    }

    String origin() {
        return origin;
    }

    /** The payload for a message of this process. */
    String frame(String message) {
        int bytes = message.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("an event of " + bytes + " bytes is over the " + MAX_MESSAGE_BYTES
                    + " bytes a notification carries: split it");
        }
        return origin + ' ' + message;
    }

    /** The message of another process's payload; null for this process's own, or a payload not framed by a peer. */
    String unframe(String payload) {
        int space = payload.indexOf(' ');
        if (space <= 0 || payload.regionMatches(0, origin, 0, space) && space == origin.length()) {
            return null;
        }
        return payload.substring(space + 1);
    }
}
