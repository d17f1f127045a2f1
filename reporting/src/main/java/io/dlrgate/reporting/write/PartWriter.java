package io.dlrgate.reporting.write;

import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.webhooks.WebhookEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The submit outcomes of parts of concatenated messages, in the batch's transaction: each part the carrier accepted
 * is stored with its own carrier message id (its receipt's correlation key); a refused or failed part is stored
 * refused (its message fails through the usual guarded update, see {@link DeliveryWriter}); a message whose every
 * part is accepted becomes {@code submitted}. An outcome applies only to the attempt it is about, like a whole
 * message's.
 */
final class PartWriter {

    private PartWriter() {
    }

    /**
     * Locks the messages these part outcomes name, in id order, before any part row: the same order the receipt
     * path takes (message row, then its parts), so two lanes never wait on each other the other way round.
     */
    static void lockMessages(Connection c, List<SubmitOutcome> parts) throws SQLException {
        TreeSet<Long> ids = new TreeSet<>();
        parts.forEach(p -> ids.add(p.messageId()));
        try (PreparedStatement ps = c.prepareStatement(
                "select id from messages where id = any(?) order by id for update")) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray(new Long[0])));
            ps.executeQuery().close();
        }
    }

    /** Stores accepted parts and marks the messages whose every part is accepted submitted. */
    static void accepted(Connection c, List<SubmitOutcome> parts, List<WebhookEvent> webhook) throws SQLException {
        if (parts.isEmpty()) {
            return;
        }
        int n = parts.size();
        Long[] ids = new Long[n];
        Integer[] partNo = new Integer[n];
        Integer[] total = new Integer[n];
        String[] carrier = new String[n];
        String[] carrierIds = new String[n];
        Long[] sentAt = new Long[n];
        Integer[] attempts = new Integer[n];
        for (int i = 0; i < n; i++) {
            SubmitOutcome s = parts.get(i);
            ids[i] = s.messageId();
            partNo[i] = s.part();
            total[i] = s.parts();
            carrier[i] = s.carrierId();
            carrierIds[i] = s.carrierMessageId();
            sentAt[i] = EpochMicros.of(s.at());
            attempts[i] = s.attempt();
        }
        // Stored whatever became of the message since (another part may have failed it): the carrier will send
        // this part's receipt, which must find it rather than wait as an orphan. Only the attempt is checked.
        try (PreparedStatement ps = c.prepareStatement("insert into message_parts (message_id, part_no, total, "
                + "carrier_id, carrier_message_id, sent_at) select u.id, u.part_no, u.total, u.carrier_id, "
                + "u.carrier_message_id, " + EpochMicros.sql("u.sent_at") + " from unnest(?::int8[], ?::int4[], "
                + "?::int4[], ?::text[], ?::text[], ?::int8[], ?::int4[]) as u(id, part_no, total, carrier_id, "
                + "carrier_message_id, sent_at, attempt) join messages m on m.id = u.id "
                + "where (u.attempt = 0 or m.submit_attempts = u.attempt) "
                + "on conflict (message_id, part_no) do update set carrier_id = excluded.carrier_id, "
                + "carrier_message_id = excluded.carrier_message_id, sent_at = excluded.sent_at, "
                + "submit_status = null, error = null")) {
            ps.setArray(1, c.createArrayOf("int8", ids));
            ps.setArray(2, c.createArrayOf("int4", partNo));
            ps.setArray(3, c.createArrayOf("int4", total));
            ps.setArray(4, c.createArrayOf("text", carrier));
            ps.setArray(5, c.createArrayOf("text", carrierIds));
            ps.setArray(6, c.createArrayOf("int8", sentAt));
            ps.setArray(7, c.createArrayOf("int4", attempts));
            ps.executeUpdate();
        }
        // Submitted once every part has its carrier id; sent when the last of them was accepted.
        Long[] distinct = new TreeSet<>(List.of(ids)).toArray(new Long[0]);
        try (PreparedStatement ps = c.prepareStatement("update messages m set dispatch_state = 'submitted', "
                + "submit_status = 0, sent_at = p.last_sent from (select message_id, max(sent_at) as last_sent "
                + "from message_parts where message_id = any(?) group by message_id "
                + "having count(carrier_message_id) = max(total)) p where m.id = p.message_id "
                // queued too: a message requeued (a RETRY on another lane, or a survivor's takeover) while its last
                // parts' answers were still coming in is marked here, or the next claim would find nothing to send
                // and leave it in flight for ever. A queued message is always Pending, and its row is locked above.
                + "and m.dispatch_state in ('in_flight', 'queued')"
                + (webhook == null ? "" : " returning m.id, m.campaign_id, m.recipient, m.sent_at"))) {
            ps.setArray(1, c.createArrayOf("int8", distinct));
            if (webhook == null) {
                ps.executeUpdate();
            } else {
                List<WebhookEvent> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long campaign = rs.getLong(2);
                        events.add(WebhookEvent.submitted(rs.getLong(1), rs.wasNull() ? null : campaign,
                                rs.getString(3), rs.getTimestamp(4).toInstant()));
                    }
                }
                events.sort(Comparator.comparing(WebhookEvent::messageId));
                webhook.addAll(events);
            }
        }
    }

    /**
     * Stores refused or failed parts (Hard bounces, with the status and error); their messages fail through the
     * message's own guarded update.
     */
    static void refused(Connection c, List<SubmitOutcome> parts) throws SQLException {
        if (parts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into message_parts (message_id, part_no, total, "
                + "carrier_id, submit_status, error, tab, final_at) select ?, ?, ?, ?, ?, ?, 'hard-bounces', ? "
                + "from messages m where m.id = ? and (?::int4 = 0 or m.submit_attempts = ?::int4) "
                + "on conflict (message_id, part_no) do update set submit_status = excluded.submit_status, "
                + "error = excluded.error, tab = 'hard-bounces', final_at = excluded.final_at "
                + "where message_parts.carrier_message_id is null")) {
            for (SubmitOutcome s : parts) {
                ps.setLong(1, s.messageId());
                ps.setInt(2, s.part());
                ps.setInt(3, s.parts());
                ps.setString(4, s.carrierId());
                if (s.commandStatus() == null) {
                    ps.setNull(5, Types.INTEGER);
                } else {
                    ps.setInt(5, s.commandStatus());
                }
                ps.setString(6, s.error());
                ps.setTimestamp(7, Timestamp.from(s.at()));
                ps.setLong(8, s.messageId());
                ps.setInt(9, s.attempt());
                ps.setInt(10, s.attempt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
