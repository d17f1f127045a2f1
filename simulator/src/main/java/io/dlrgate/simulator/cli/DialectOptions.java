package io.dlrgate.simulator.cli;

import io.dlrgate.simulator.receipt.ReceiptDialect;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** Receipt dialect flags shared by {@code carrier} and {@code load}. */
public final class DialectOptions {
    @Option(names = "--dialect", paramLabel = "PRESET", defaultValue = "standard",
            description = "standard (the flags below apply), or hostile: upper-case labels, 'submitdate:', 12-digit "
                    + "dates, the id in hex in the text, no TLVs, data_sm with the text in message_payload (only --zone "
                    + "and --enroute-esm-class still apply; the gateway's carrier needs receipt_id_format: hex) "
                    + "(default: ${DEFAULT-VALUE})")
    String preset;

    /** The hostile carrier's receipt dialect, as in simulator/scenarios/hostile-carrier.yaml (minus ASCII codes: no TLVs). */
    public static ReceiptDialect hostile() {
        return ReceiptDialect.STANDARD.withLabels(ReceiptDialect.LabelCase.UPPER).withSubmitDateWithoutSpace(true)
                .withDateDigits(12).withIdStyle(ReceiptDialect.IdStyle.HEX).withTlvs(false).withDataSm(true)
                .withTextInPayload(true);
    }
    @Option(names = "--labels", paramLabel = "CASE", defaultValue = "lower",
            description = "receipt label case: lower, upper, capitalised-text (lower with 'Text:') (default: ${DEFAULT-VALUE})")
    String labels;

    @Option(names = "--submitdate-no-space", description = "write 'submitdate:' instead of 'submit date:'")
    boolean submitDateNoSpace;

    @Option(names = "--date-digits", defaultValue = "10", description = "10, 12 or 14 digit dates (default: ${DEFAULT-VALUE})")
    int dateDigits;

    @Option(names = "--receipt-id", paramLabel = "STYLE", defaultValue = "as-issued",
            description = "id in the receipt text: as-issued, decimal, hex, zero-padded (default: ${DEFAULT-VALUE})")
    String receiptId;

    @Option(names = "--receipt-id-width", defaultValue = "" + ReceiptDialect.ZERO_PADDED_ID_WIDTH,
            description = "width of zero-padded receipt ids (default: ${DEFAULT-VALUE})")
    int receiptIdWidth;

    @Option(names = "--no-tlvs", description = "leave out receipted_message_id, message_state and network_error_code")
    boolean noTlvs;

    @Option(names = "--ascii-network-error", description = "network_error_code as 3 ASCII digits instead of type+code")
    boolean asciiNetworkError;

    @Option(names = "--payload", description = "receipt text in message_payload, short_message empty")
    boolean payload;

    @Option(names = "--data-sm", description = "send receipts as data_sm (text in message_payload)")
    boolean dataSm;

    @Option(names = "--esm-class", defaultValue = "0x04", description = "esm_class of receipts: 0x04 or 0x44 (default: ${DEFAULT-VALUE})")
    String esmClass;

    @Option(names = "--enroute-esm-class", defaultValue = "0x20",
            description = "esm_class of ENROUTE notifications: 0x20 or 0x04 (default: ${DEFAULT-VALUE})")
    String enrouteEsmClass;

    @Option(names = "--zone", defaultValue = "UTC", description = "time zone of receipt dates (default: ${DEFAULT-VALUE})")
    String zone;

    ReceiptDialect toDialect() {
        switch (normal(preset)) {
            case "STANDARD" -> { }
            case "HOSTILE" -> {
                return hostile().withIntermediateEsmClass(parseByte("--enroute-esm-class", enrouteEsmClass))
                        .withZone(ZoneId.of(zone));
            }
            default -> throw new IllegalArgumentException("--dialect must be standard or hostile, got '" + preset + "'");
        }
        ReceiptDialect.LabelCase labelCase = switch (normal(labels)) {
            case "LOWER" -> ReceiptDialect.LabelCase.LOWER;
            case "UPPER" -> ReceiptDialect.LabelCase.UPPER;
            case "CAPITALISED_TEXT", "CAPITALIZED_TEXT", "MIXED" -> ReceiptDialect.LabelCase.CAPITALISED_TEXT;
            default -> throw new IllegalArgumentException("--labels must be lower, upper or capitalised-text, got '"
                    + labels + "'");
        };
        ReceiptDialect.IdStyle idStyle = switch (normal(receiptId)) {
            case "AS_ISSUED" -> ReceiptDialect.IdStyle.AS_ISSUED;
            case "DECIMAL" -> ReceiptDialect.IdStyle.DECIMAL;
            case "HEX" -> ReceiptDialect.IdStyle.HEX;
            case "ZERO_PADDED" -> ReceiptDialect.IdStyle.ZERO_PADDED;
            default -> throw new IllegalArgumentException(
                    "--receipt-id must be as-issued, decimal, hex or zero-padded, got '" + receiptId + "'");
        };
        return ReceiptDialect.STANDARD
                .withLabels(labelCase)
                .withSubmitDateWithoutSpace(submitDateNoSpace)
                .withDateDigits(dateDigits)
                .withIdStyle(idStyle)
                .withIdWidth(receiptIdWidth)
                .withTlvs(!noTlvs)
                .withNetworkErrorStyle(asciiNetworkError ? ReceiptDialect.NetworkErrorStyle.ASCII
                        : ReceiptDialect.NetworkErrorStyle.BINARY)
                .withTextInPayload(payload)
                .withDataSm(dataSm)
                .withReceiptEsmClass(parseByte("--esm-class", esmClass))
                .withIntermediateEsmClass(parseByte("--enroute-esm-class", enrouteEsmClass))
                .withZone(ZoneId.of(zone));
    }

    static String normal(String s) {
        return s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    static byte parseByte(String flag, String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            int v = t.startsWith("0x") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
            if (v < 0 || v > 255) {
                throw new NumberFormatException();
            }
            return (byte) v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a byte such as 0x04, got '" + s + "'");
        }
    }
}
