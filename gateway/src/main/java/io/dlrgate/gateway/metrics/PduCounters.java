package io.dlrgate.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code dlrgate_smpp_pdus_total{direction,command,result}}: every PDU read from or written to a carrier
 * connection. Counters are cached in an array indexed by direction, command and result, so counting a PDU is an
 * index computation and an increment, with no allocation; the usual commands are registered up front (they
 * exist at 0), rare ones on first use.
 */
final class PduCounters {

    /** SMPP 3.4 request command_ids and their names; a response is the request's id with bit 31 set. */
    private static final int[] IDS = {0x00000001, 0x00000002, 0x00000003, 0x00000004, 0x00000005, 0x00000006,
            0x00000007, 0x00000008, 0x00000009, 0x0000000B, 0x00000015, 0x00000021, 0x00000102, 0x00000103};
    private static final String[] NAMES = {"bind_receiver", "bind_transmitter", "query_sm", "submit_sm",
            "deliver_sm", "unbind", "replace_sm", "cancel_sm", "bind_transceiver", "outbind", "enquire_link",
            "submit_multi", "alert_notification", "data_sm"};
    private static final int GENERIC_NACK = IDS.length * 2;
    private static final int OTHER = GENERIC_NACK + 1;
    private static final int SLOTS = OTHER + 1;
    private static final String[] DIRECTIONS = {"in", "out"};
    private static final String[] RESULTS = {"ok", "error"};
    /** Registered at start (both results), per direction: what a working gateway sees. */
    private static final String[][] COMMON = {
            {"submit_sm_resp", "deliver_sm", "data_sm", "enquire_link", "enquire_link_resp", "generic_nack"},
            {"submit_sm", "deliver_sm_resp", "data_sm_resp", "enquire_link", "enquire_link_resp", "generic_nack"}};

    private final MeterRegistry registry;
    private final Counter[] counters = new Counter[2 * SLOTS * 2];

    PduCounters(MeterRegistry registry) {
        this.registry = registry;
        for (int d = 0; d < 2; d++) {
            for (String common : COMMON[d]) {
                int slot = slotOf(common);
                for (int r = 0; r < 2; r++) {
                    counter(d, slot, r);
                }
            }
        }
    }

    void count(boolean inbound, int commandId, int commandStatus) {
        counter(inbound ? 0 : 1, slot(commandId), commandStatus == 0 ? 0 : 1).increment();
    }

    private Counter counter(int direction, int slot, int result) {
        int i = (direction * SLOTS + slot) * 2 + result;
        Counter c = counters[i];
        if (c == null) {
            // Benign race: registering twice returns the same counter; a reference write is atomic.
            c = Counter.builder("dlrgate.smpp.pdus")
                    .tags("direction", DIRECTIONS[direction], "command", label(slot), "result", RESULTS[result])
                    .description("SMPP PDUs on carrier connections, by direction (in: from the carrier), command "
                            + "and result (error: a non-zero command_status)")
                    .register(registry);
            counters[i] = c;
        }
        return c;
    }

    private static int slot(int commandId) {
        if (commandId == 0x80000000) {
            return GENERIC_NACK;
        }
        int request = commandId & 0x7fffffff;
        for (int i = 0; i < IDS.length; i++) { // 14 int compares: cheaper than a map of boxed keys
            if (IDS[i] == request) {
                return commandId < 0 ? IDS.length + i : i;
            }
        }
        return OTHER;
    }

    private static String label(int slot) {
        if (slot == GENERIC_NACK) {
            return "generic_nack";
        }
        if (slot == OTHER) {
            return "other";
        }
        return slot < IDS.length ? NAMES[slot] : NAMES[slot - IDS.length] + "_resp";
    }

    private static int slotOf(String label) {
        for (int s = 0; s < SLOTS; s++) {
            if (label(s).equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException(label);
    }
}
