package io.dlrgate.reporting.write;

import io.dlrgate.reporting.replies.ReplyKind;
import io.dlrgate.reporting.replies.ReplyLinker;
import io.dlrgate.reporting.webhooks.WebhookEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>A carrier's resend of a reply already stored (its deliver_sm_resp was lost) is not stored again: each reply
 * with a {@link IncomingReply#duplicateKey} claims its key in {@code reply_keys} first, in this transaction, and
 * only the replies that got their key are stored. A copy within the window of the stored one is acknowledged all
 * the same (the batch commits), so the carrier stops resending. Keys past their window are re-armed by the next
 * copy, and pruned a slice per batch.
 *
 * <p>Each reply stored raises {@code reply.received}, handed back for the batch's outbox write (same
 * transaction); a duplicate raises nothing.
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

    /** Keys past their window removed per batch: enough to keep up, never a long delete in the hot path. */
    static final int PRUNE_SLICE = 200;

    /**
     * What a batch's replies did.
     *
     * @param optedOut the numbers put on the suppressed list
     * @param events   {@code reply.received} of each reply stored, in order (empty when {@code events} was false)
     * @param stored   how many replies were stored (the others were a carrier's resends)
     * @param resent   the replies that were a carrier's resends, not stored (an identity set: the objects given)
     */
    record Written(List<String> optedOut, List<WebhookEvent> events, int stored, Set<IncomingReply> resent) {
        static final Written NOTHING = new Written(List.of(), List.of(), 0, Set.of());
    }

    /**
     * Stores the batch's replies that are not resends of a stored one.
     *
     * @param events whether to build their {@code reply.received} events (an endpoint is enabled)
     */
    Written write(Connection c, List<IncomingReply> replies, Instant now, boolean events) throws SQLException {
        if (replies.isEmpty()) {
            return Written.NOTHING;
        }
        List<String> numbers = new ArrayList<>(replies.size());
        for (IncomingReply r : replies) {
            numbers.add(r.fromNumber());
        }
        // Before the duplicates: a copy answering another message than the stored one is a new reply.
        Map<String, ReplyLinker.Link> links = linker.lastSentTo(c, numbers);
        List<IncomingReply> fresh = withoutDuplicates(c, replies, links, now);
        Set<IncomingReply> resent = resent(replies, fresh);
        if (fresh.isEmpty()) {
            return new Written(List.of(), List.of(), 0, resent);
        }
        long[] ids = nextIds(c, fresh.size());
        insert(c, fresh, ids, links);
        List<String> optedOut = applyKeywords(c, fresh, now);
        List<WebhookEvent> out = List.of();
        if (events) {
            out = new ArrayList<>(fresh.size());
            for (int i = 0; i < fresh.size(); i++) {
                IncomingReply r = fresh.get(i);
                ReplyLinker.Link link = links.get(r.fromNumber());
                out.add(WebhookEvent.replyReceived(r.fromNumber(), link == null ? null : link.messageId(),
                        link == null ? null : link.campaignId(),
                        new WebhookEvent.ReplyDetail(ids[i], r.toAddress(), r.text(), r.kind().dbName()),
                        r.receivedAt()));
            }
        }
        return new Written(optedOut, out, fresh.size(), resent);
    }

    /** The replies given that are not among those to store: resends (by identity: two copies are equal records). */
    private static Set<IncomingReply> resent(List<IncomingReply> replies, List<IncomingReply> fresh) {
        if (fresh.size() == replies.size()) {
            return Set.of();
        }
        Set<IncomingReply> stored = Collections.newSetFromMap(new IdentityHashMap<>());
        stored.addAll(fresh);
        Set<IncomingReply> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (IncomingReply r : replies) {
            if (!stored.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The replies to store: those without a key, and those whose key this transaction claimed (new, or past the
     * window of its stored copy). A copy twice in one batch counts once.
     *
     * <p>The key claimed is the PDU's key and the message the reply answers (the last one sent to the number): the
     * same text from the same number after another message went to it is an answer to that message (a recipient
     * who answers "Thanks" to two campaigns an hour, or a minute, apart), never taken for a resend.
     */
    private static List<IncomingReply> withoutDuplicates(Connection c, List<IncomingReply> replies,
                                                         Map<String, ReplyLinker.Link> links, Instant now)
            throws SQLException {
        List<String> keys = new ArrayList<>();
        List<IncomingReply> keyed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (IncomingReply r : replies) {
            if (r.duplicateKey() != null && !r.duplicateWindow().isZero()) {
                String k = key(r, links);
                if (seen.add(k)) {
                    keys.add(k);
                    keyed.add(r);
                }
            }
        }
        if (keyed.isEmpty()) {
            return replies;
        }
        prune(c, now);
        int n = keys.size();
        Long[] storedAt = new Long[n];
        Long[] expiresAt = new Long[n];
        for (int i = 0; i < n; i++) {
            IncomingReply r = keyed.get(i);
            storedAt[i] = EpochMicros.of(r.receivedAt());
            expiresAt[i] = EpochMicros.of(r.receivedAt().plus(r.duplicateWindow()));
        }
        // Claimed: inserted, or taken over from a copy whose window is over (a genuine repeat, stored again).
        Set<String> claimed = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("insert into reply_keys (key, stored_at, expires_at) select "
                + "decode(u.k, 'hex'), " + EpochMicros.sql("u.s") + ", " + EpochMicros.sql("u.e") + " from "
                + "unnest(?::text[], ?::int8[], ?::int8[]) u(k, s, e) on conflict (key) do update set stored_at = "
                + "excluded.stored_at, expires_at = excluded.expires_at where reply_keys.expires_at <= "
                + "excluded.stored_at returning encode(key, 'hex')")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            ps.setArray(2, c.createArrayOf("int8", storedAt));
            ps.setArray(3, c.createArrayOf("int8", expiresAt));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getString(1));
                }
            }
        }
        List<IncomingReply> out = new ArrayList<>(replies.size());
        Set<String> taken = new HashSet<>();
        for (IncomingReply r : replies) {
            if (r.duplicateKey() == null || r.duplicateWindow().isZero()) {
                out.add(r);
            } else {
                String k = key(r, links);
                if (claimed.contains(k) && taken.add(k)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The key claimed, in hex: the PDU's key, then the id of the message the reply answers (none: nothing). */
    private static String key(IncomingReply r, Map<String, ReplyLinker.Link> links) {
        ReplyLinker.Link link = links.get(r.fromNumber());
        String pdu = HexFormat.of().formatHex(r.duplicateKey());
        return link == null ? pdu : pdu + HexFormat.of().toHexDigits(link.messageId());
    }

    /** Removes a slice of keys past their window; rows another batch holds are skipped, never waited for. */
    private static void prune(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from reply_keys where key in (select key from "
                + "reply_keys where expires_at < ? order by expires_at limit " + PRUNE_SLICE
                + " for update skip locked)")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** The ids the replies will have, in order: their events name them, and an insert's RETURNING has no order. */
    private static long[] nextIds(Connection c, int n) throws SQLException {
        long[] ids = new long[n];
        try (PreparedStatement ps = c.prepareStatement("select nextval(pg_get_serial_sequence('replies', 'id')) "
                + "from generate_series(1, ?)")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < n && rs.next(); i++) {
                    ids[i] = rs.getLong(1);
                }
            }
        }
        return ids;
    }

    private static void insert(Connection c, List<IncomingReply> replies, long[] ids,
                               Map<String, ReplyLinker.Link> links) throws SQLException {
        int n = replies.size();
        Long[] id = new Long[n];
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
            id[i] = ids[i];
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
        // ids taken from the sequence in the order the replies came in
        try (PreparedStatement ps = c.prepareStatement("insert into replies (id, received_at, carrier_id, command, "
                + "from_number, to_address, text, data_coding, kind, message_id, campaign_id) select u.id, "
                + EpochMicros.sql("u.at") + ", u.carrier, u.command, u.from_number, u.to_address, u.text, "
                + "u.coding, u.kind, u.message_id, u.campaign_id from unnest(?::int8[], ?::int8[], ?::text[], "
                + "?::text[], ?::text[], ?::text[], ?::text[], ?::int2[], ?::text[], ?::int8[], ?::int8[]) as "
                + "u(id, at, carrier, command, from_number, to_address, text, coding, kind, message_id, "
                + "campaign_id)")) {
            ps.setArray(1, c.createArrayOf("int8", id));
            ps.setArray(2, c.createArrayOf("int8", at));
            ps.setArray(3, c.createArrayOf("text", carriers));
            ps.setArray(4, c.createArrayOf("text", commands));
            ps.setArray(5, c.createArrayOf("text", from));
            ps.setArray(6, c.createArrayOf("text", to));
            ps.setArray(7, c.createArrayOf("text", texts));
            ps.setArray(8, c.createArrayOf("int2", codings));
            ps.setArray(9, c.createArrayOf("text", kinds));
            ps.setArray(10, c.createArrayOf("int8", messages));
            ps.setArray(11, c.createArrayOf("int8", campaigns));
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
