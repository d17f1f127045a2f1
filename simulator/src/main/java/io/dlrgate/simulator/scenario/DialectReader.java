package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Reads a carrier's {@code dialect}: how its message ids look and how it writes receipts (labels, dates, TLVs,
 * PDU, esm_class, time zone), so that QA can reproduce a real carrier's quirks.
 */
final class DialectReader {

    /** A carrier's id format and receipt dialect, read together because one constrains the other. */
    record Dialect(IdFormat idFormat, ReceiptDialect receipts) {
        static final Dialect STANDARD = new Dialect(IdFormat.DECIMAL, ReceiptDialect.STANDARD);
    }

    private final ScenarioNodes in;

    DialectReader(ScenarioNodes in) {
        this.in = in;
    }

    Dialect dialect(JsonNode d, String dp) {
        if (!d.isObject()) {
            in.problem(dp, "must be a mapping (id_format, id_in_text, labels, submitdate_without_space, "
                    + "date_digits, tlvs, network_error, pdu, text_in_payload, esm_class, time_zone)");
            return Dialect.STANDARD;
        }
        in.keys(d, dp, "id_format", "id_in_text", "labels", "submitdate_without_space", "date_digits", "tlvs",
                "network_error", "pdu", "text_in_payload", "esm_class", "time_zone");
        IdFormat idFormat = idFormat(d, dp);
        ReceiptDialect.IdStyle idStyle = in.enumValue(d, dp, "id_in_text", ReceiptDialect.IdStyle.class,
                ReceiptDialect.IdStyle.AS_ISSUED);
        ReceiptDialect.LabelCase labels = in.enumValue(d, dp, "labels", ReceiptDialect.LabelCase.class,
                ReceiptDialect.LabelCase.LOWER);
        ReceiptDialect.NetworkErrorStyle nes = in.enumValue(d, dp, "network_error",
                ReceiptDialect.NetworkErrorStyle.class, ReceiptDialect.NetworkErrorStyle.BINARY);
        boolean noSpace = in.bool(d, dp, "submitdate_without_space", false);
        boolean tlvs = in.bool(d, dp, "tlvs", true);
        boolean inPayload = in.bool(d, dp, "text_in_payload", false);
        int dateDigits = dateDigits(d, dp);
        boolean dataSm = dataSm(d, dp);
        byte esm = esmClass(d, dp);
        ZoneId zone = zone(d, dp);
        ReceiptDialect dialect = ReceiptDialect.STANDARD.withIdStyle(idStyle).withLabels(labels)
                .withNetworkErrorStyle(nes).withSubmitDateWithoutSpace(noSpace).withTlvs(tlvs)
                .withTextInPayload(inPayload).withDateDigits(dateDigits).withDataSm(dataSm).withReceiptEsmClass(esm)
                .withZone(zone);
        if (idFormat == IdFormat.UUID && idStyle != ReceiptDialect.IdStyle.AS_ISSUED) {
            in.problem(dp + ".id_in_text", "must be as_issued with id_format uuid (a UUID has no number)");
        }
        return new Dialect(idFormat, dialect);
    }

    private IdFormat idFormat(JsonNode d, String dp) {
        if (d.has("id_format")) {
            String v = in.scalar(d.get("id_format"), dp + ".id_format");
            if (v != null) {
                try {
                    return IdFormat.parse(v);
                } catch (IllegalArgumentException e) {
                    in.problem(dp + ".id_format", e.getMessage());
                }
            }
        }
        return IdFormat.DECIMAL;
    }

    private int dateDigits(JsonNode d, String dp) {
        if (!d.has("date_digits")) {
            return 10;
        }
        int dateDigits = (int) in.longValue(d.get("date_digits"), dp + ".date_digits", 10, 14);
        if (dateDigits != 10 && dateDigits != 12 && dateDigits != 14) {
            in.problem(dp + ".date_digits", "must be 10, 12 or 14, got " + dateDigits);
            return 10;
        }
        return dateDigits;
    }

    /** {@code pdu}: receipts as deliver_sm (the default) or data_sm. */
    private boolean dataSm(JsonNode d, String dp) {
        if (!d.has("pdu")) {
            return false;
        }
        String v = in.scalar(d.get("pdu"), dp + ".pdu");
        if (v != null && !"deliver_sm".equals(v) && !"data_sm".equals(v)) {
            in.problem(dp + ".pdu", "must be deliver_sm or data_sm, got '" + v + "'");
        }
        return "data_sm".equals(v);
    }

    private byte esmClass(JsonNode d, String dp) {
        if (!d.has("esm_class")) {
            return ReceiptDialect.ESM_RECEIPT;
        }
        long v = in.longValue(d.get("esm_class"), dp + ".esm_class", 0, 255);
        if (v != 0x04 && v != 0x44) {
            in.problem(dp + ".esm_class", "must be 0x04 or 0x44 (receipt, with the UDHI bit), got " + v);
            return ReceiptDialect.ESM_RECEIPT;
        }
        return (byte) v;
    }

    private ZoneId zone(JsonNode d, String dp) {
        ZoneId zone = ZoneOffset.UTC;
        if (d.has("time_zone")) {
            String v = in.scalar(d.get("time_zone"), dp + ".time_zone");
            try {
                zone = v == null ? zone : ZoneId.of(v);
            } catch (DateTimeException e) {
                in.problem(dp + ".time_zone", "'" + v + "' is not a time zone (Europe/London, UTC, +02:00)");
            }
        }
        return zone;
    }
}
