package io.dlrgate.gateway.send;

import io.dlrgate.config.CarrierConfig;
import java.util.Collection;

/**
 * {@code dispatch.max_parts}: content that would need more concatenated parts than allowed is refused at the door
 * (a 400 naming its length), never cut or failed later. Parts are counted as the carrier would get them: 153 GSM-7
 * septets or 67 UCS-2 units a part, 152 / 66 with a 16-bit UDH reference.
 */
final class PartLimit {

    private final ContentLength.Meter meter;
    private final int maxParts;

    /** @param meter null: nothing is refused for its length in parts */
    PartLimit(ContentLength.Meter meter, int maxParts) {
        this.meter = meter;
        this.maxParts = maxParts;
    }

    /** Refuses the content when any of these carriers would need more than {@code max_parts} parts for it. */
    void check(String field, String content, Collection<CarrierConfig> carriers) {
        if (meter == null) {
            return;
        }
        ContentLength worst = null;
        for (CarrierConfig c : carriers) {
            ContentLength l = meter.measure(content, c);
            if (worst == null || l.parts() > worst.parts()) {
                worst = l;
            }
        }
        if (worst != null && worst.parts() > maxParts) {
            throw new SendRejectedException(field, "is " + worst.units() + " " + worst.unitName() + " long ("
                    + content.length() + " characters), which needs " + worst.parts() + " parts; at most " + maxParts
                    + " are allowed (dispatch.max_parts)");
        }
    }
}
