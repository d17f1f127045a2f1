package io.dlrgate.simulator.scenario;

import com.cloudhopper.smpp.SmppBindType;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.receipt.ReceiptDialect;

/**
 * The dlrgate {@code carriers} section that matches a scenario's carriers (ids, prefixes, id formats), in either
 * role: with binds coming in (carrier role: {@code system_id} and {@code password} at the top) or with a
 * {@code connect} block that binds out to the simulated SMSC (SMSC role). Written by hand from the scenario, so a
 * user (or a test) can start a gateway that fits a scenario without writing the carriers twice.
 */
public final class GatewayCarriersYaml {
    private GatewayCarriersYaml() {
    }

    /** Carrier role: the gateway waits for the simulated carriers' binds. */
    public static String inbound(Scenario s) {
        return yaml(s, null, 0, null);
    }

    /** SMSC role: the gateway binds out to the simulated SMSC at {@code host:port}. */
    public static String connect(Scenario s, String host, int port) {
        return yaml(s, host, port, null);
    }

    /**
     * SMSC role over TLS: as {@link #connect(Scenario, String, int)}, with a {@code tls} block trusting the SMSC's
     * certificate file (hostname verification stays on: the certificate must name {@code host}).
     *
     * @param tlsTrust the SMSC's certificate (chain) file; null for plain TCP
     */
    public static String connect(Scenario s, String host, int port, java.nio.file.Path tlsTrust) {
        return yaml(s, host, port, tlsTrust);
    }

    private static String yaml(Scenario s, String host, int port, java.nio.file.Path tlsTrust) {
        StringBuilder y = new StringBuilder("carriers:\n");
        for (Scenario.Carrier c : s.carriers()) {
            y.append("  - id: ").append(c.id()).append('\n');
            if (host == null) {
                y.append("    system_id: ").append(c.systemId()).append('\n')
                        .append("    password: ").append(c.password()).append('\n');
            } else {
                y.append("    connect:\n")
                        .append("      host: ").append(host).append('\n')
                        .append("      port: ").append(port).append('\n')
                        .append("      system_id: ").append(c.systemId()).append('\n')
                        .append("      password: ").append(c.password()).append('\n')
                        .append("      bind: ").append(esmeBind(c)).append('\n')
                        .append("      sessions: ").append(c.sessions()).append('\n');
                if (tlsTrust != null) {
                    y.append("      tls:\n        trust: \"").append(tlsTrust.toString().replace("\\", "\\\\")
                            .replace("\"", "\\\"")).append("\"\n");
                }
                // the window of the ESME's submits: the SMSC's session has the scenario's window
                y.append("    window_size: ").append(c.window()).append('\n');
            }
            y.append("    max_submit_rate: 20000\n")
                    .append("    prefixes: [").append(String.join(", ", c.prefixes().stream()
                            .map(p -> "\"" + p + "\"").toList())).append("]\n");
            if (c.idFormat() == IdFormat.HEX) {
                y.append("    submit_id_format: hex\n");
            }
            // The gateway reads the receipted_message_id TLV first, which carries the id as issued; the text's
            // id only counts without TLVs.
            boolean hexInText = c.dialect().idStyle() == ReceiptDialect.IdStyle.HEX
                    || c.idFormat() == IdFormat.HEX && c.dialect().idStyle() == ReceiptDialect.IdStyle.AS_ISSUED;
            boolean receiptIdHex = c.dialect().tlvs() ? c.idFormat() == IdFormat.HEX : hexInText;
            if (receiptIdHex) {
                y.append("    receipt_id_format: hex\n");
            }
            if (c.idFormat() == IdFormat.ZERO_PADDED) {
                // padded in the submit_sm_resp, maybe not in the receipt: the gateway compares them as numbers
                y.append("    submit_id_format: decimal\n    receipt_id_format: decimal\n");
            }
        }
        return y.toString();
    }

    /**
     * The ESME's binds that mirror the carrier's: a carrier binding as transceiver is met by a transceiver ESME;
     * one binding a transmitter and a receiver by an ESME doing the same (transmitter+receiver).
     */
    static String esmeBind(Scenario.Carrier c) {
        return c.bindTypes().contains(SmppBindType.TRANSCEIVER) ? "transceiver" : "transmitter+receiver";
    }
}
