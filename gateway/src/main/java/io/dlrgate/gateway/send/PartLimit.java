package io.dlrgate.gateway.send;

import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.dispatch.encoding.Concatenation;
import io.dlrgate.gateway.dispatch.encoding.EncodedMessage;
import io.dlrgate.gateway.dispatch.encoding.MessageEncoder;
import java.util.Collection;

/**
 * {@code dispatch.max_parts}: content that would need more concatenated parts than allowed is refused at the door
 * (a 400 naming its length), never cut or failed later. Parts are counted as the carrier would get them: 153 GSM-7
 * septets or 67 UCS-2 units a part, 152 / 66 with a 16-bit UDH reference.
 */
final class PartLimit {

    private final MessageEncoder encoder = new MessageEncoder();
    private final int maxParts;

    PartLimit(int maxParts) {
        this.maxParts = maxParts;
    }

    /** Refuses the content when any of these carriers would need more than {@code max_parts} parts for it. */
    void check(String field, String content, Collection<CarrierConfig> carriers) {
        EncodedMessage e = encoder.encode(content);
        if (e.fitsSingle()) {
            return;
        }
        int worst = 0;
        for (CarrierConfig c : carriers) {
            worst = Math.max(worst, Concatenation.partCount(e, c.longMessages()));
        }
        if (worst > maxParts) {
            String unit = e.encoding().bytesPerUnit() == 1 ? "GSM-7 septets" : "UCS-2 characters";
            throw new SendRejectedException(field, "is " + e.length() + " " + unit + " long (" + content.length()
                    + " characters), which needs " + worst + " parts; at most " + maxParts
                    + " are allowed (dispatch.max_parts)");
        }
    }
}
