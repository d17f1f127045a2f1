package io.dlrgate.gateway.carriers;

import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.CarrierSessions;
import io.dlrgate.gateway.smpp.SessionDirection;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Each configured carrier as ops see it now: its settings, its bound sessions in both directions, its effective
 * submit rate and its traffic over the last minute. Read from memory only (the session registry, the dispatcher,
 * {@link RecentActivity}, {@link SessionTimes}): cheap enough for a page that refreshes every few seconds.
 */
public final class CarrierOverview {

    /** One bound session. {@code upSince} is null only for a session that closed while this was being read. */
    public record SessionView(long id, SessionDirection direction, BindType bindType, InetSocketAddress remoteAddress,
                              Instant upSince, int windowInUse, int windowSize) {
    }

    /**
     * One carrier.
     *
     * @param inboundConfigured  the carrier may bind to the gateway (it has a system_id and password)
     * @param outboundConfigured the gateway binds to the carrier's SMSC (it has {@code connect})
     * @param downSince          when its last session closed, if it has none bound now (null: bound, or never was)
     */
    public record CarrierView(String id, List<String> prefixes, int windowSize, int maxSubmitRate,
                              double effectiveSubmitRate, boolean inboundConfigured, boolean outboundConfigured,
                              List<SessionView> sessions, Instant downSince, RecentActivity.Figures lastMinute) {
    }

    private final List<CarrierConfig> carriers;
    private final CarrierSessions sessions;
    private final ToDoubleFunction<String> effectiveRate;
    private final RecentActivity activity;
    private final SessionTimes times;

    /** @param effectiveRate submits per second the carrier's dispatcher allows now, by carrier id */
    public CarrierOverview(List<CarrierConfig> carriers, CarrierSessions sessions,
                           ToDoubleFunction<String> effectiveRate, RecentActivity activity, SessionTimes times) {
        this.carriers = List.copyOf(carriers);
        this.sessions = sessions;
        this.effectiveRate = effectiveRate;
        this.activity = activity;
        this.times = times;
    }

    /** Every configured carrier, in config order. */
    public List<CarrierView> carriers() {
        List<CarrierView> out = new ArrayList<>(carriers.size());
        for (CarrierConfig c : carriers) {
            List<SessionView> bound = new ArrayList<>();
            for (CarrierSession s : sessions.sessions(c.id())) {
                if (s.isBound()) {
                    var window = s.smppSession().getSendWindow();
                    bound.add(new SessionView(s.id(), s.direction(), s.boundAs(), s.remoteAddress(), times.boundAt(s),
                            window.getSize(), window.getMaxSize()));
                }
            }
            out.add(new CarrierView(c.id(), c.prefixes(), c.windowSize(), c.maxSubmitRate(),
                    effectiveRate.applyAsDouble(c.id()), inboundConfigured(c), outboundConfigured(c), bound,
                    bound.isEmpty() ? times.lastClosedAt(c.id()) : null, activity.of(c.id())));
        }
        return out;
    }

    static boolean inboundConfigured(CarrierConfig c) {
        return c.systemId() != null && !c.systemId().isBlank();
    }

    /** Whether the carrier's entry has {@code connect}: the gateway binds out to its SMSC. */
    static boolean outboundConfigured(CarrierConfig c) {
        return c.connect() != null;
    }
}
