package io.dlrgate.reporting.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * The raw receipt log ({@code receipts}) and the orphan rows of a batch, written on the batch writer's connection
 * inside its transaction: every receipt the carriers were answered OK for is kept as it came, with what became of
 * it.
 */
final class ReceiptLog {

    private ReceiptLog() {
    }

    /**
     * The raw log rows of the batch in ONE statement: each column travels as an array and {@code unnest} turns
     * them back into rows. One parse, one plan (cached by the driver), one execution, instead of a multi-row
     * INSERT rewritten per batch shape. Timestamps travel as epoch microseconds, rounded half up from nanoseconds
     * exactly as the driver rounds a {@code setTimestamp}, so the stored values are the same.
     */
    static void insert(Connection c, List<IncomingReceipt> receipts, List<ReceiptOutcome> outcomes)
            throws SQLException {
        if (receipts.isEmpty()) {
            return;
        }
        int n = receipts.size();
        long[] ids = nextReceiptIds(c, n);
        Long[] id = new Long[n];
        Long[] receivedAt = new Long[n];
        String[] carrierId = new String[n];
        String[] command = new String[n];
        Integer[] esmClass = new Integer[n];
        String[] rawId = new String[n];
        String[] receiptedId = new String[n];
        String[] stat = new String[n];
        String[] err = new String[n];
        String[] nec = new String[n];
        Integer[] messageState = new Integer[n];
        Long[] submitDate = new Long[n];
        Long[] doneDate = new Long[n];
        Boolean[] intermediate = new Boolean[n];
        String[] body = new String[n];
        Long[] messageId = new Long[n];
        String[] outcome = new String[n];
        for (int i = 0; i < n; i++) {
            IncomingReceipt r = receipts.get(i);
            ReceiptOutcome o = outcomes.get(i);
            id[i] = ids[i];
            receivedAt[i] = EpochMicros.of(r.receivedAt());
            carrierId[i] = r.carrierId();
            command[i] = r.command();
            esmClass[i] = r.esmClass();
            rawId[i] = r.receiptedIdRaw();
            receiptedId[i] = r.receiptedId();
            stat[i] = r.stat();
            err[i] = r.err();
            nec[i] = r.networkErrorCode();
            messageState[i] = r.messageState();
            submitDate[i] = EpochMicros.of(r.submitDate());
            doneDate[i] = EpochMicros.of(r.doneDate());
            intermediate[i] = r.intermediate();
            body[i] = r.body();
            messageId[i] = o.messageId();
            outcome[i] = o.result();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into receipts (id, received_at, carrier_id, command, "
                + "esm_class, receipted_id_raw, receipted_id, stat, err, network_error_code, message_state, "
                + "submit_date, done_date, intermediate, body, message_id, outcome) "
                + "select u.id, " + EpochMicros.sql("u.received_at") + ", u.carrier_id, u.command, u.esm_class, "
                + "u.raw_id, u.receipted_id, u.stat, u.err, u.nec, u.message_state, "
                + EpochMicros.sql("u.submit_date") + ", " + EpochMicros.sql("u.done_date") + ", "
                + "u.intermediate, u.body, u.message_id, u.outcome "
                + "from unnest(?::int8[], ?::int8[], ?::text[], ?::text[], ?::int4[], ?::text[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::int4[], ?::int8[], ?::int8[], ?::bool[], ?::text[], ?::int8[], ?::text[]) "
                + "as u(id, received_at, carrier_id, command, esm_class, raw_id, receipted_id, stat, err, nec, "
                + "message_state, submit_date, done_date, intermediate, body, message_id, outcome)");
             PreparedStatement orphan = c.prepareStatement("insert into orphan_receipts (receipt_id, carrier_id, "
                     + "receipted_id, received_at) values (?,?,?,?)")) {
            int p = 1;
            ps.setArray(p++, c.createArrayOf("int8", id));
            ps.setArray(p++, c.createArrayOf("int8", receivedAt));
            ps.setArray(p++, c.createArrayOf("text", carrierId));
            ps.setArray(p++, c.createArrayOf("text", command));
            ps.setArray(p++, c.createArrayOf("int4", esmClass));
            ps.setArray(p++, c.createArrayOf("text", rawId));
            ps.setArray(p++, c.createArrayOf("text", receiptedId));
            ps.setArray(p++, c.createArrayOf("text", stat));
            ps.setArray(p++, c.createArrayOf("text", err));
            ps.setArray(p++, c.createArrayOf("text", nec));
            ps.setArray(p++, c.createArrayOf("int4", messageState));
            ps.setArray(p++, c.createArrayOf("int8", submitDate));
            ps.setArray(p++, c.createArrayOf("int8", doneDate));
            ps.setArray(p++, c.createArrayOf("bool", intermediate));
            ps.setArray(p++, c.createArrayOf("text", body));
            ps.setArray(p++, c.createArrayOf("int8", messageId));
            ps.setArray(p, c.createArrayOf("text", outcome));
            ps.executeUpdate();
            boolean anyOrphan = false;
            for (int i = 0; i < n; i++) {
                if (outcomes.get(i).orphan()) {
                    IncomingReceipt r = receipts.get(i);
                    orphan.setLong(1, ids[i]);
                    orphan.setString(2, r.carrierId());
                    orphan.setString(3, r.receiptedId());
                    orphan.setTimestamp(4, Timestamp.from(r.receivedAt()));
                    orphan.addBatch();
                    anyOrphan = true;
                }
            }
            if (anyOrphan) {
                orphan.executeBatch();
            }
        }
    }

    /** Ids for the whole batch in one round trip, so receipts and their orphan rows can be inserted as batches. */
    private static long[] nextReceiptIds(Connection c, int n) throws SQLException {
        long[] ids = new long[n];
        try (PreparedStatement ps = c.prepareStatement(
                "select nextval('receipts_id_seq') from generate_series(1, ?)")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    ids[i++] = rs.getLong(1);
                }
            }
        }
        return ids;
    }
}
