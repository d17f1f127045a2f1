package io.dlrgate.reporting.replies;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds what a reply answers: the last message that went to its number (accepted by a carrier), and that message's
 * campaign (none: a single send). One query per batch, whatever the number of replies, on index
 * {@code messages_recipient}.
 *
 * <p>The seam for sender matching: a reply answers the sender it was sent to ({@code to_address}). Today every
 * message goes from one fixed sender, so the number alone decides. Once messages carry their sender, add
 * {@code and m.sender = <the reply's to_address>} to {@link #LAST_SENT} (and key the result by number and sender).
 */
public final class ReplyLinker {

    /** The last message sent to the number, and its campaign. */
    public record Link(long messageId, Long campaignId) {
    }

    private static final String LAST_SENT = "select n.number, m.id, m.campaign_id from unnest(?::text[]) n(number) "
            + "cross join lateral (select id, campaign_id from messages where recipient = n.number "
            + "and dispatch_state = 'submitted' order by id desc limit 1) m";

    /** The links of the numbers that were ever sent to; a number absent from the map was not. */
    public Map<String, Link> lastSentTo(Connection c, Collection<String> numbers) throws SQLException {
        Map<String, Link> out = new HashMap<>();
        if (numbers.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(LAST_SENT)) {
            ps.setArray(1, c.createArrayOf("text", numbers.stream().distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long campaign = rs.getLong(3);
                    Long campaignId = rs.wasNull() ? null : campaign; // before the next getter resets wasNull
                    out.put(rs.getString(1), new Link(rs.getLong(2), campaignId));
                }
            }
        }
        return out;
    }
}
