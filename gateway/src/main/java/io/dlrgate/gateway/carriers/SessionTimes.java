package io.dlrgate.gateway.carriers;

import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.CarrierSessionListener;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each bound session came up, and when each carrier last lost a session: what "up since" and "down since"
 * show. Entries live as long as their session (removed at its close) plus one instant per carrier that ever had
 * a session, so the maps are bounded by the session limits and the config. Keyed by the session itself (identity),
 * not its id: sessions the gateway opens and sessions carriers open need not share one id space.
 */
public final class SessionTimes implements CarrierSessionListener {

    private final Clock clock;
    private final Map<CarrierSession, Instant> boundAt = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastClosedAt = new ConcurrentHashMap<>();

    public SessionTimes(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void sessionBound(CarrierSession session) {
        boundAt.put(session, clock.instant());
    }

    @Override
    public void sessionClosed(CarrierSession session) {
        boundAt.remove(session);
        lastClosedAt.put(session.carrierId(), clock.instant());
    }

    /** When the session was reported bound, or null if it is not (any more). */
    public Instant boundAt(CarrierSession session) {
        return boundAt.get(session);
    }

    /** When a session of the carrier last closed, or null if none ever did. */
    public Instant lastClosedAt(String carrierId) {
        return lastClosedAt.get(carrierId);
    }
}
