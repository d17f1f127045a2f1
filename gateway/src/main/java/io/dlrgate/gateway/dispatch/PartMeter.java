package io.dlrgate.gateway.dispatch;

import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.dispatch.encoding.Concatenation;
import io.dlrgate.gateway.dispatch.encoding.EncodedMessage;
import io.dlrgate.gateway.dispatch.encoding.MessageEncoder;
import io.dlrgate.gateway.send.ContentLength;

/** Content measured as {@link SubmitBuilder} will send it: encoding, length and parts on the carrier's wire. */
public final class PartMeter implements ContentLength.Meter {

    private final MessageEncoder encoder = new MessageEncoder();

    @Override
    public ContentLength measure(String content, CarrierConfig carrier) {
        EncodedMessage e = encoder.encode(content);
        return new ContentLength(e.length(), e.encoding().bytesPerUnit() == 1 ? "GSM-7 septets" : "UCS-2 characters",
                Concatenation.partCount(e, carrier.longMessages()));
    }
}
