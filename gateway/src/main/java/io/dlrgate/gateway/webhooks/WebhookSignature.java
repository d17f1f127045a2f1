package io.dlrgate.gateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Dlrgate-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">} keyed with the
 * endpoint's secret. The timestamp is inside what is signed, so a receiver that refuses old timestamps also refuses
 * replays of a captured request.
 */
public final class WebhookSignature {

    public static final String HEADER = "Dlrgate-Signature";
    public static final String EVENT_IDS_HEADER = "Dlrgate-Event-Ids";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    public static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds, body);
    }

    static String hmacHex(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** A new endpoint secret: {@code whsec_} and 32 random bytes in hex. */
    public static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "whsec_" + HexFormat.of().formatHex(b);
    }
}
