package io.dlrgate.reporting.report;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.message.Source;
import java.time.Instant;

/**
 * One line of the single sends report.
 *
 * @param contentStart the first characters of the content, cut on a word ({@link #startOf})
 * @param sender       the sender id it was sent from
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
