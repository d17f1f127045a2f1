package io.dlrgate.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live-event streams ({@code GET /api/v1/events}) opened on each login session, so that the end of the session
 * (logout, expiry, a newer login beyond the per-user cap) closes them: a stream must not outlive the right to read
 * it. Streams opened with an API key or HTTP Basic are not tracked (nothing ends them but the client).
 *
 * <p>Bounded: a session's list drops closed streams whenever one is added, and {@link #retainOnly} drops them all,
 * so it holds the open streams plus a few closed since the last check.
 */
final class SessionStreams {

    private final Map<String, List<RoutingContext>> bySession = new ConcurrentHashMap<>();

    /** A route handler for the events endpoint, after authentication: tracks a cookie's stream, then goes on. */
    Handler<RoutingContext> tracker() {
        return ctx -> {
            Access.Principal p = ctx.get(Access.PRINCIPAL);
            if (p != null && p.sessionHash() != null) {
                bySession.compute(p.sessionHash(), (k, list) -> {
                    List<RoutingContext> l = list == null ? new ArrayList<>() : list;
                    l.removeIf(s -> s.response().closed());
                    l.add(ctx);
                    return l;
                });
            }
            ctx.next();
        };
    }

    /** Closes the streams of these sessions (they ended). */
    void closeAll(Collection<String> sessionHashes) {
        for (String h : sessionHashes) {
            List<RoutingContext> l = bySession.remove(h);
            if (l != null) {
                l.forEach(SessionStreams::close);
            }
        }
    }

    /** The sessions that have streams (open, or closed since the last check). */
    Set<String> sessions() {
        return Set.copyOf(bySession.keySet());
    }

    /** Closes the streams of every session among {@code checked} that is not {@code live}; forgets closed ones. */
    void retainOnly(Collection<String> checked, Set<String> live) {
        List<String> ended = new ArrayList<>();
        for (String h : checked) {
            if (!live.contains(h)) {
                ended.add(h);
            } else {
                bySession.computeIfPresent(h, (k, l) -> {
                    l.removeIf(s -> s.response().closed());
                    return l.isEmpty() ? null : l;
                });
            }
        }
        closeAll(ended);
    }

    int size() {
        return bySession.values().stream().mapToInt(List::size).sum();
    }

    /**
     * Resets the stream: over HTTP/1.1 that closes its connection, over HTTP/2 only its stream (the connection may
     * carry other sessions' requests). The stream's own handlers then see a closed response and stop, and the client
     * sees the stream end (an EventSource reconnects and gets 401).
     */
    private static void close(RoutingContext ctx) {
        if (!ctx.response().closed()) {
            ctx.response().reset();
        }
    }
}
