package io.dlrgate.gateway.intake.parse;

/**
 * An immutable copy of an SMPP address (ch-smpp's {@code Address} is mutable).
 *
 * @param ton     type of number, unsigned (0..255)
 * @param npi     numbering plan indicator, unsigned (0..255)
 * @param address the digits or alphanumeric address as sent; never null (empty when absent)
 */
public record SmppAddress(int ton, int npi, String address) {

    public SmppAddress {
        address = address == null ? "" : address;
    }

    static SmppAddress of(com.cloudhopper.smpp.type.Address a) {
        if (a == null) {
            return null;
        }
        return new SmppAddress(a.getTon() & 0xFF, a.getNpi() & 0xFF, a.getAddress());
    }
}
