package io.dlrgate.reporting.suppression;

import io.dlrgate.config.BouncesConfig;
import io.dlrgate.reporting.message.RefusedNumber;
import io.dlrgate.reporting.webhooks.Outbox;
import io.dlrgate.reporting.webhooks.WebhookEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Counts the contacts a send files at once as Hard bounces ({@code invalid-number}, {@code no-route}) toward
 * suppression, when the account setting {@value SuppressionSettings#COUNT_INVALID_KEY} is on (off by default: a
 * list's typo is the sender's mistake, not the number's). Counted like a carrier's permanent bounce, on the send's
 * connection and in its transaction, so the bounce and its count are stored together or not at all. A contact that
 * is no readable number is counted under the text as written (trimmed), which is also how the send path looks it up
 * on the suppressed list. Each number this suppresses is reported as a {@code number.suppressed} webhook event in
 * that same transaction, as the group commit reports the ones carriers' bounces suppress.
 */
public final class InvalidNumberBounces {

    private final BouncesConfig defaults;
    private final BounceCounter counter;
    private final Outbox outbox;
    private volatile SuppressionStore.Listener listener;

    public InvalidNumberBounces(BouncesConfig defaults) {
        this(defaults, new Outbox());
    }

    /** @param outbox where the {@code number.suppressed} events of the numbers these counts suppress go */
    public InvalidNumberBounces(BouncesConfig defaults, Outbox outbox) {
        this.defaults = defaults == null ? BouncesConfig.defaults() : defaults;
        this.counter = new BounceCounter(this.defaults);
        this.outbox = outbox;
    }

    /** Told of each number these counts suppress, after the send is committed (metrics). */
    public void setListener(SuppressionStore.Listener listener) {
        this.listener = listener;
    }

    /**
     * Counts {@code refused} if the setting is on; returns the numbers this put on the suppressed list.
     */
    public List<String> count(Connection c, List<RefusedNumber> refused, Instant now) throws SQLException {
        if (refused.isEmpty() || !SuppressionSettings.read(c, defaults).countInvalidNumbers()) {
            return List.of();
        }
        List<String> suppressed = counter.apply(c, refused.stream()
                .map(r -> BounceEvent.permanentBounce(r.recipient(), null, r.cause())).toList(), now);
        outbox.write(c, suppressed.stream()
                .map(n -> WebhookEvent.suppressed(n, WebhookEvent.SUPPRESSED_BY_HARD_BOUNCES, now)).toList());
        return suppressed;
    }

    /** After the transaction of {@link #count} committed: tells the listener of the numbers it suppressed. */
    public void committed(List<String> suppressed) {
        SuppressionStore.Listener l = listener;
        if (l != null) {
            suppressed.forEach(n -> l.added());
        }
    }
}
