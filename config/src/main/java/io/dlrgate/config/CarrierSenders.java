package io.dlrgate.config;

import java.util.List;

/**
 * What a carrier accepts as senders, and how it wants them addressed.
 *
 * @param allowed   the sender ids this carrier takes, exactly as written (case matters: handsets show it); empty:
 *                  any valid sender
 * @param sourceTon the TON sent with every sender to this carrier instead of the one its form calls for; null:
 *                  by form (alphanumeric 5, short code 3, international 1)
 * @param sourceNpi the NPI likewise; null: by form (alphanumeric 0, short code 0, international 1)
 */
public record CarrierSenders(List<String> allowed, Integer sourceTon, Integer sourceNpi) {

    /** Any sender, TON/NPI by form: a carrier entry that says nothing about senders. */
    public static final CarrierSenders ANY = new CarrierSenders(List.of(), null, null);

    public CarrierSenders {
        allowed = List.copyOf(allowed);
    }

    /** Whether this carrier takes messages from this sender. */
    public boolean allows(SenderId sender) {
        return allowed.isEmpty() || allowed.contains(sender.text());
    }

    /** The TON on the wire for this sender: the carrier's override, else the form's. */
    public int tonFor(SenderId sender) {
        return sourceTon != null ? sourceTon : sender.form().ton();
    }

    /** The NPI on the wire for this sender: the carrier's override, else the form's. */
    public int npiFor(SenderId sender) {
        return sourceNpi != null ? sourceNpi : sender.form().npi();
    }
}
