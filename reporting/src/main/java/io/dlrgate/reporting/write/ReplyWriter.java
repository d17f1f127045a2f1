package io.dlrgate.reporting.write;

import io.dlrgate.reporting.replies.ReplyKind;
import io.dlrgate.reporting.replies.ReplyLinker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stores a batch's replies on the group-commit writer's connection, in its transaction: the reply rows (one
 * statement for the batch), linked to the last message their number was sent, and the opt-outs and opt-ins their
 * keywords ask for. A reply acknowledged is a reply stored, and its opt-out with it.
 *
 * <p>Opt-outs are suppressions with reason {@value #OPT_OUT_REASON}, kept apart from hard-bounce suppressions by
 * that reason: an opt-in lifts only a suppression with that reason (a hard-bounced or manually suppressed number
 * stays suppressed), and an opt-out of a number already suppressed for another reason leaves that suppression as
 * it is (it is the stronger one: only an admin lifts it). The hard-bounce setting never touches either.
 *
 * <p>The seam for webhooks: a stored reply is to raise {@code reply.received}
 * ({@link io.dlrgate.reporting.webhooks.EventType#REPLY_RECEIVED}), its outbox row written here, in this
 * transaction, as {@link DeliveryWriter} does for the batch's other events. Not built yet.
 *
 * <p>Several keywords from one number in a batch: the last one decides (opt-out then opt-in leaves the number
 * sendable, in the order the carrier sent them; one lane takes all the replies of a number, in order).
 */
final class ReplyWriter {

    /** The suppressed list's reason for a number whose recipient opted out. */
    static final String OPT_OUT_REASON = "opt-out";
    /** The actor recorded as {@code created_by} of opt-outs. */
    static final String CREATED_BY = "reply";

    private final ReplyLinker linker = new ReplyLinker();

    /** @return the numbers this batch put on the suppressed list (opted out) */
    List<String> write(Connection c, List<IncomingReply> replies, Instant now) throws SQLException {
        if (replies.isEmpty()) {
            return List.of();
        }
        List<String> numbers = new ArrayList<>(replies.size());
        for (IncomingReply r : replies) {
            numbers.add(r.fromNumber());
        }
        Map<String, ReplyLinker.Link> links = linker.lastSentTo(c, numbers);
        insert(c, replies, links);
        return applyKeywords(c, replies, now);
    }

    private static void insert(Connection c, List<IncomingReply> replies, Map<String, ReplyLinker.Link> links)
            throws SQLException {
        int n = replies.size();
        Long[] at = new Long[n];
        String[] carriers = new String[n];
        String[] commands = new String[n];
        String[] from = new String[n];
        String[] to = new String[n];
        String[] texts = new String[n];
        Integer[] codings = new Integer[n];
        String[] kinds = new String[n];
        Long[] messages = new Long[n];
        Long[] campaigns = new Long[n];
        for (int i = 0; i < n; i++) {
            IncomingReply r = replies.get(i);
            at[i] = EpochMicros.of(r.receivedAt());
            carriers[i] = r.carrierId();
            commands[i] = r.command();
            from[i] = r.fromNumber();
            to[i] = r.toAddress();
            texts[i] = r.text();
            codings[i] = r.dataCoding();
            kinds[i] = r.kind().dbName();
            ReplyLinker.Link link = links.get(r.fromNumber());
            messages[i] = link == null ? null : link.messageId();
            campaigns[i] = link == null ? null : link.campaignId();
        }
        // with ordinality: ids follow the order the replies came in
        try (PreparedStatement ps = c.prepareStatement("insert into replies (received_at, carrier_id, command, "
                + "from_number, to_address, text, data_coding, kind, message_id, campaign_id) select "
                + EpochMicros.sql("u.at") + ", u.carrier, u.command, u.from_number, u.to_address, u.text, "
                + "u.coding, u.kind, u.message_id, u.campaign_id from unnest(?::int8[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::text[], ?::int2[], ?::text[], ?::int8[], ?::int8[]) with ordinality as "
                + "u(at, carrier, command, from_number, to_address, text, coding, kind, message_id, campaign_id, ord) "
                + "order by u.ord")) {
            ps.setArray(1, c.createArrayOf("int8", at));
            ps.setArray(2, c.createArrayOf("text", carriers));
            ps.setArray(3, c.createArrayOf("text", commands));
            ps.setArray(4, c.createArrayOf("text", from));
            ps.setArray(5, c.createArrayOf("text", to));
            ps.setArray(6, c.createArrayOf("text", texts));
            ps.setArray(7, c.createArrayOf("int2", codings));
            ps.setArray(8, c.createArrayOf("text", kinds));
            ps.setArray(9, c.createArrayOf("int8", messages));
            ps.setArray(10, c.createArrayOf("int8", campaigns));
            ps.executeUpdate();
        }
    }

    /** Applies the last keyword of each number (in number order, so two writers never deadlock on the rows). */
    private static List<String> applyKeywords(Connection c, List<IncomingReply> replies, Instant now) throws SQLException {
        Map<String, ReplyKind> last = new LinkedHashMap<>();
        for (IncomingReply r : replies) {
            // Only a number can be sent to (suppressions hold E.164 numbers): an alphanumeric source has no list entry.
            if (r.kind() != ReplyKind.REPLY && r.fromNumber().startsWith("+")) {
                last.put(r.fromNumber(), r.kind());
            }
        }
        if (last.isEmpty()) {
            return List.of();
        }
        List<String> suppressed = new ArrayList<>();
        try (PreparedStatement optOut = c.prepareStatement("insert into suppressions (number, reason, created_at, "
                + "created_by) values (?, ?, ?, ?) on conflict (number) do nothing");
             PreparedStatement optIn = c.prepareStatement("delete from suppressions where number = ? and reason = ?")) {
            for (Map.Entry<String, ReplyKind> e : new TreeMap<>(last).entrySet()) {
                if (e.getValue() == ReplyKind.OPT_OUT) {
                    optOut.setString(1, e.getKey());
                    optOut.setString(2, OPT_OUT_REASON);
                    optOut.setTimestamp(3, Timestamp.from(now));
                    optOut.setString(4, CREATED_BY);
                    if (optOut.executeUpdate() == 1) {
                        suppressed.add(e.getKey());
                    }
                } else {
                    optIn.setString(1, e.getKey());
                    optIn.setString(2, OPT_OUT_REASON);
                    optIn.executeUpdate();
                }
            }
        }
        return suppressed;
    }
}
