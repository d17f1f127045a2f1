package io.dlrgate.simulator.outcome;

import java.time.Instant;

/**
 * What an outcome policy may look at when deciding: the submit as the carrier received it.
 *
 * @param sequence    1-based order of arrival at this carrier (all sessions together)
 * @param systemId    the carrier's system_id
 * @param source      source_addr of the submit_sm
 * @param destination destination_addr of the submit_sm
 * @param content     decoded text (short_message, or message_payload when short_message is empty)
 * @param receivedAt  when the carrier received it (from the carrier's clock)
 * @param part        the part of a concatenated message this submit is (its text is the part's), or null
 */
public record SubmitView(long sequence, String systemId, String source, String destination, String content,
                         Instant receivedAt, Part part) {

    /** A whole message, not a part. */
    public SubmitView(long sequence, String systemId, String source, String destination, String content,
                      Instant receivedAt) {
        this(sequence, systemId, source, destination, content, receivedAt, null);
    }
}
