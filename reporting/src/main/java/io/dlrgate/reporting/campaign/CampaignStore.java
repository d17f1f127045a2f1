package io.dlrgate.reporting.campaign;

import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.RefusedNumber;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.suppression.InvalidNumberBounces;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Campaigns and their sends. A send and all its messages are written in one transaction: all or nothing. */
public final class CampaignStore {

    private static final String COLUMNS = "id, name, content, created_by, created_at, last_modified_by, "
            + "last_modified_at, link_tracking, last_sent_at, sender";

    private final DataSource ds;
    private final MessageStore messages;
    private final Clock clock;
    private final InvalidNumberBounces invalidBounces;

    /** With the {@code bounces} defaults: invalid numbers count toward suppression only if the settings say so. */
    public CampaignStore(DataSource ds, MessageStore messages, Clock clock) {
        this(ds, messages, clock, new InvalidNumberBounces(null));
    }

    /** @param invalidBounces counts the numbers a send files at once as Hard bounces, when the settings say so */
    public CampaignStore(DataSource ds, MessageStore messages, Clock clock, InvalidNumberBounces invalidBounces) {
        this.ds = ds;
        this.messages = messages;
        this.clock = clock;
        this.invalidBounces = invalidBounces;
    }

    /** A campaign sending from the configured default sender. */
    public Campaign create(String name, String content, String createdBy, boolean linkTracking) throws SQLException {
        return create(name, content, createdBy, linkTracking, null);
    }

    /** @param sender the campaign's sender id, or {@code null} for the configured default */
    public Campaign create(String name, String content, String createdBy, boolean linkTracking, String sender)
            throws SQLException {
        Instant now = clock.instant();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into campaigns (name, content, created_by, created_at, "
                     + "last_modified_by, last_modified_at, link_tracking, sender) values (?,?,?,?,?,?,?,?) returning "
                     + COLUMNS)) {
            ps.setString(1, name);
            ps.setString(2, content);
            ps.setString(3, createdBy);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setString(5, createdBy);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setBoolean(7, linkTracking);
            ps.setString(8, sender);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs);
            }
        }
    }

    /** Edits a campaign; {@code null} fields keep their value. Empty when no such campaign. */
    public Optional<Campaign> update(long id, String name, String content, Boolean linkTracking, String sender,
                                     String modifiedBy) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update campaigns set name = coalesce(?, name), "
                     + "content = coalesce(?, content), link_tracking = coalesce(?, link_tracking), "
                     + "sender = coalesce(?, sender), last_modified_by = ?, last_modified_at = ? where id = ? returning " + COLUMNS)) {
            ps.setString(1, name);
            ps.setString(2, content);
            ps.setObject(3, linkTracking);
            ps.setString(4, sender);
            ps.setString(5, modifiedBy);
            ps.setTimestamp(6, Timestamp.from(clock.instant()));
            ps.setLong(7, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public Optional<Campaign> find(long id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from campaigns where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public List<Campaign> list(int limit, int offset) throws SQLException {
        List<Campaign> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from campaigns order by id desc "
                     + "limit ? offset ?")) {
            ps.setInt(1, limit);
            ps.setInt(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    /**
     * Records a send and queues its messages in one transaction, so a failure leaves nothing half-written.
     *
     * @param requested         contacts in the request
     * @param skippedSuppressed distinct numbers skipped because suppressed
     * @param duplicates        contacts dropped as repeats of an earlier one in the list
     * @param toQueue  messages to queue; their campaignSendId is filled in here
     * @param content  the content the refused numbers are filed with
     * @param sender   the sender the refused numbers are filed with
     * @param refused  numbers filed at once as Hard bounces (invalid, no route), in the same transaction, and
     *                 counted toward suppression there when the settings say so
     */
    public CampaignSend send(long campaignId, String sentBy, int requested, int skippedSuppressed, int duplicates,
                             List<NewMessage> toQueue, String content, String sender, List<RefusedNumber> refused)
            throws SQLException {
        int rejected = refused.size();
        Instant now = clock.instant();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long sendId;
                try (PreparedStatement ps = c.prepareStatement("insert into campaign_sends (campaign_id, sent_by, "
                        + "sent_at, requested, queued, skipped_suppressed, rejected, duplicates) values (?,?,?,?,?,?,?,?) "
                        + "returning id")) {
                    ps.setLong(1, campaignId);
                    ps.setString(2, sentBy);
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setInt(4, requested);
                    ps.setInt(5, toQueue.size());
                    ps.setInt(6, skippedSuppressed);
                    ps.setInt(7, rejected);
                    ps.setInt(8, duplicates);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        sendId = rs.getLong(1);
                    }
                }
                List<NewMessage> withSend = new ArrayList<>(toQueue.size());
                for (NewMessage m : toQueue) {
                    withSend.add(m.withCampaignSend(sendId));
                }
                messages.insertAll(c, withSend);
                messages.fileRefused(c, campaignId, sendId, Source.CAMPAIGN, content, sender, refused);
                List<String> suppressedNow = invalidBounces.count(c, refused, now);
                try (PreparedStatement ps = c.prepareStatement("update campaigns set last_sent_at = ? where id = ?")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setLong(2, campaignId);
                    ps.executeUpdate();
                }
                c.commit();
                invalidBounces.committed(suppressedNow);
                return new CampaignSend(sendId, campaignId, sentBy, now, requested, toQueue.size(), skippedSuppressed,
                        duplicates, rejected);
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    /** The sends of a campaign, oldest first, each with what happened to its list at the door. */
    public List<CampaignSend> sends(long campaignId) throws SQLException {
        List<CampaignSend> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select id, campaign_id, sent_by, sent_at, requested, queued, "
                     + "skipped_suppressed, duplicates, rejected from campaign_sends where campaign_id = ? order by id")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CampaignSend(rs.getLong(1), rs.getLong(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8),
                            rs.getInt(9)));
                }
            }
        }
        return out;
    }

    private static Campaign read(ResultSet rs) throws SQLException {
        Timestamp lastSent = rs.getTimestamp(9);
        return new Campaign(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getBoolean(8),
                lastSent == null ? null : lastSent.toInstant(), rs.getString(10));
    }
}
