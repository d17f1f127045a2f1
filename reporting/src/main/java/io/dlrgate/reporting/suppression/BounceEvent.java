package io.dlrgate.reporting.suppression;

/**
 * What one message's outcome means for its number's bounce counts, in the order the batch decided them: a
 * permanent hard bounce counts toward suppression, a delivery resets the consecutive count. Decided without a
 * database ({@code DeliveryApplier}), counted by {@link BounceCounter}.
 *
 * @param bounce    true for a permanent hard bounce, false for a delivery
 * @param carrierId the carrier it came through
 * @param error     how the error reads in a suppression reason ({@code err 001}), null for a delivery
 */
public record BounceEvent(String number, boolean bounce, String carrierId, String error) {

    public static BounceEvent permanentBounce(String number, String carrierId, String error) {
        return new BounceEvent(number, true, carrierId, error);
    }

    public static BounceEvent delivery(String number) {
        return new BounceEvent(number, false, null, null);
    }
}
