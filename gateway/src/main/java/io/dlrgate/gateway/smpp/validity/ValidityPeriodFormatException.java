package io.dlrgate.gateway.smpp.validity;

/** A validity_period (or schedule_delivery_time) string that is not a valid SMPP time. */
public class ValidityPeriodFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ValidityPeriodFormatException(String message) {
        super(message);
    }
}
