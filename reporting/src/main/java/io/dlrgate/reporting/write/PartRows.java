package io.dlrgate.reporting.write;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.state.FinalBy;
import io.dlrgate.reporting.state.MessageState;
import io.dlrgate.reporting.write.DeliveryApplier.MessageRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of messages sent as concatenated parts, as the receipt path reads, changes and writes them: read with
 * their message (whose row lock is already held), changed in memory by {@link DeliveryApplier}, written back in one
 * statement.
 */
final class PartRows {

    /** One part's delivery state, updated in memory as the batch is applied. */
    static final class PartRow {
        final int partNo;
        MessageState state;
        String error;
        Instant finalAt;
        boolean dirty;

        PartRow(int partNo, MessageState state) {
            this.partNo = partNo;
            this.state = state;
        }
    }

    private PartRows() {
    }

    /** Reads every part of these messages into their rows ({@link MessageRow#parts}, {@link MessageRow#totalParts}). */
    static void read(Connection c, Collection<Long> messageIds, Map<Long, MessageRow> byId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select message_id, part_no, total, tab, last_stat, error "
                + "from message_parts where message_id = any(?) order by message_id, part_no for update")) {
            ps.setArray(1, c.createArrayOf("int8", messageIds.toArray(new Long[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MessageRow row = byId.get(rs.getLong(1));
                    if (row == null) {
                        continue;
                    }
                    if (row.parts == null) {
                        row.parts = new TreeMap<>();
                    }
                    Tab tab = Tab.fromSlug(rs.getString(4)).orElseThrow();
                    PartRow part = new PartRow(rs.getShort(2), new MessageState(tab, rs.getString(5),
                            tab.isFinal() ? FinalBy.RECEIPT : FinalBy.NOT_FINAL));
                    part.error = rs.getString(6);
                    row.parts.put(part.partNo, part);
                    row.totalParts = Math.max(row.totalParts, rs.getShort(3));
                }
            }
        }
    }

    /** Writes the changed parts of these rows. */
    static void update(Connection c, Collection<MessageRow> rows) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<Integer> partNos = new ArrayList<>();
        List<String> tabs = new ArrayList<>();
        List<String> stats = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Long> finalAt = new ArrayList<>();
        for (MessageRow row : rows) {
            if (row.parts == null) {
                continue;
            }
            for (PartRow p : row.parts.values()) {
                if (p.dirty) {
                    ids.add(row.id);
                    partNos.add(p.partNo);
                    tabs.add(p.state.tab().slug());
                    stats.add(p.state.lastStat());
                    errors.add(p.error);
                    finalAt.add(EpochMicros.of(p.finalAt));
                }
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("update message_parts p set tab = u.tab, last_stat = u.stat, "
                + "error = u.error, final_at = coalesce(" + EpochMicros.sql("u.final_at") + ", p.final_at) "
                + "from unnest(?::int8[], ?::int4[], ?::text[], ?::text[], ?::text[], ?::int8[]) "
                + "as u(id, part_no, tab, stat, error, final_at) where p.message_id = u.id and p.part_no = u.part_no")) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray(new Long[0])));
            ps.setArray(2, c.createArrayOf("int4", partNos.toArray(new Integer[0])));
            ps.setArray(3, c.createArrayOf("text", tabs.toArray(new String[0])));
            ps.setArray(4, c.createArrayOf("text", stats.toArray(new String[0])));
            ps.setArray(5, c.createArrayOf("text", errors.toArray(new String[0])));
            ps.setArray(6, c.createArrayOf("int8", finalAt.toArray(new Long[0])));
            ps.executeUpdate();
        }
    }
}
