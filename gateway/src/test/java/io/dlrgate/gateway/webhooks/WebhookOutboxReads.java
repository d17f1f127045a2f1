package io.dlrgate.gateway.webhooks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the store says the receiver must get: the outbox's events per message, and the messages' final tabs. */
final class WebhookOutboxReads {

    private WebhookOutboxReads() {
    }

    /** Per message, the distinct event ids of the endpoint's outbox in the order they were written. */
    static Map<Long, List<String>> eventsPerMessage(Connection c, long endpointId) throws SQLException {
        Map<Long, LinkedHashSet<String>> m = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select message_id, event_id::text from webhook_events "
                + "where endpoint_id = ? order by id")) {
            ps.setLong(1, endpointId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.computeIfAbsent(rs.getLong(1), k -> new LinkedHashSet<>()).add(rs.getString(2));
                }
            }
        }
        Map<Long, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    static Set<String> allEventIds(Connection c, long endpointId) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        eventsPerMessage(c, endpointId).values().forEach(out::addAll);
        return out;
    }

    /** Every message of the campaign that is in a final tab: "id tab". */
    static Set<String> finalMessages(Connection c, long campaignId) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select id, tab from messages where campaign_id = ? "
                + "and tab <> 'pending' order by id")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + " " + rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The final states the receiver accepted: "messageId tab" of every message.final event. */
    static Set<String> finalsReceived(List<WebhookReceiver.Event> accepted) {
        Set<String> out = new LinkedHashSet<>();
        for (WebhookReceiver.Event e : accepted) {
            if (e.type().equals("message.final")) {
                out.add(e.messageId() + " " + e.tab());
            }
        }
        return out;
    }

    static long undelivered(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from webhook_events "
                + "where delivered_at is null and dead_at is null");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<Long> ids(Map<Long, ?> m) {
        return new ArrayList<>(m.keySet());
    }
}
