package io.dlrgate.reporting.report;

import io.dlrgate.reporting.message.PartsSummary;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Two columns a report row query adds for a message sent as concatenated parts (both null for any other): its parts
 * counted ("total,delivered,failed,deleted,expired") and the part that decides its reason (first by the parts rule:
 * a failed part, else a deleted one, else an expired one; lowest number first). One primary-key probe each.
 */
final class PartColumns {

    /** The select-list expressions, for a query over {@code messages}. */
    static final String SQL = "(select max(p.total) || ',' || count(*) filter (where p.tab = 'delivered') || ',' "
            + "|| count(*) filter (where p.tab = 'hard-bounces') || ',' || count(*) filter (where p.tab = 'deleted') "
            + "|| ',' || count(*) filter (where p.tab = 'soft-bounces') from message_parts p "
            + "where p.message_id = messages.id), "
            + "(select coalesce(p.last_stat || coalesce(' err ' || p.error, ''), p.error) from message_parts p "
            + "where p.message_id = messages.id and p.tab in ('hard-bounces', 'deleted', 'soft-bounces') "
            + "order by case p.tab when 'hard-bounces' then 0 when 'deleted' then 1 else 2 end, p.part_no limit 1)";

    private PartColumns() {
    }

    /** The summary from the two columns starting at {@code col}; null for a message without parts. */
    static PartsSummary read(ResultSet rs, int col) throws SQLException {
        String counts = rs.getString(col);
        if (counts == null) {
            return null;
        }
        String[] f = counts.split(",");
        int total = Integer.parseInt(f[0]);
        int delivered = Integer.parseInt(f[1]);
        int failed = Integer.parseInt(f[2]);
        int deleted = Integer.parseInt(f[3]);
        int expired = Integer.parseInt(f[4]);
        return new PartsSummary(total, delivered, failed, deleted, expired,
                Math.max(0, total - delivered - failed - deleted - expired), rs.getString(col + 1));
    }
}
