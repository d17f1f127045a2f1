package io.dlrgate.reporting.report;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.message.Source;
import java.time.Instant;

/**
 * One line of the single sends report.
 *
 * @param contentStart the first characters of the content, cut on a word ({@link #startOf})
 * @param tab          the message's tab; {@code null} when the send was skipped because the number is suppressed
 *                     (listed as {@link #SUPPRESSED}, in none of the five tabs)
 * @param sender       the sender id it was (or, skipped, would have been) sent from
 */
public record SingleSendRow(
        long id,
        String recipient,
        String country,
        Instant createdAt,
        Instant sentAt,
        String contentStart,
        Tab tab,
        String stat,
        Source source,
        String sender) {

    /** The "tab" of a single send skipped because its number is suppressed: not one of the five. */
    public static final String SUPPRESSED = "suppressed";

    /** The tab's slug, or {@link #SUPPRESSED}. */
    public String tabSlug() {
        return tab == null ? SUPPRESSED : tab.slug();
    }

    /** How many characters of the content the list shows at most (plus an ellipsis when cut). */
    public static final int START_CHARS = 60;

    /** The content's first {@link #START_CHARS} characters, cut at the last word boundary, with "…" when cut. */
    public static String startOf(String content) {
        if (content == null) {
            return null;
        }
        String flat = content.replaceAll("\\s+", " ").strip();
        if (flat.length() <= START_CHARS) {
            return flat;
        }
        int cut = flat.lastIndexOf(' ', START_CHARS);
        if (cut < START_CHARS / 2) {
            cut = START_CHARS; // one very long word: cut inside it rather than show almost nothing
        }
        return flat.substring(0, cut).stripTrailing() + "…";
    }
}
