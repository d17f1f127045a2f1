package io.dlrgate.gateway.send;

import io.dlrgate.config.CarrierConfig;

/**
 * How long content is on a carrier's wire: its length in the encoding's units and the concatenated parts it needs
 * there. The dispatch side knows the encodings and implements it; the composition root hands it to
 * {@link SendService}, so that the send path does not reach into dispatch (which reaches back into send).
 *
 * @param units    septets (GSM-7) or UTF-16 code units (UCS-2)
 * @param unitName "GSM-7 septets" or "UCS-2 characters"
 * @param parts    short messages needed on this carrier (1 when it fits one)
 */
public record ContentLength(int units, String unitName, int parts) {

    /** Measures content for a carrier. */
    @FunctionalInterface
    public interface Meter {
        ContentLength measure(String content, CarrierConfig carrier);
    }
}
