package io.dlrgate.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matcher the SMPP server checks binds against. */
class IpAllowListTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no DNS lookup
    }

    @Test
    void emptyListAllowsEverything() throws Exception {
        IpAllowList l = IpAllowList.parse(List.of());
        assertTrue(l.allows(ip("203.0.113.9")));
        assertTrue(l.allows(ip("2001:db8::1")));
        assertTrue(IpAllowList.allowAll().allows(ip("127.0.0.1")));
    }

    @Test
    void ipv4RangesAndSingleAddresses() throws Exception {
        IpAllowList l = IpAllowList.parse(List.of("10.0.0.0/8", "192.168.1.7", "172.16.0.0/12"));
        assertTrue(l.allows(ip("10.255.1.2")));
        assertTrue(l.allows(ip("192.168.1.7")));
        assertFalse(l.allows(ip("192.168.1.8")));
        assertTrue(l.allows(ip("172.31.255.255")));
        assertFalse(l.allows(ip("172.32.0.0")));
        assertFalse(l.allows(ip("11.0.0.1")));
        assertFalse(l.allows(ip("::1")));
    }

    @Test
    void oddPrefixLengths() throws Exception {
        IpAllowList l = IpAllowList.parse(List.of("10.1.2.128/25"));
        assertTrue(l.allows(ip("10.1.2.200")));
        assertFalse(l.allows(ip("10.1.2.127")));
        IpAllowList all = IpAllowList.parse(List.of("0.0.0.0/0"));
        assertTrue(all.allows(ip("8.8.8.8")));
        assertFalse(all.allows(ip("2001:db8::1")));
    }

    @Test
    void ipv6RangesAndAddresses() throws Exception {
        IpAllowList l = IpAllowList.parse(List.of("2001:db8::/32", "::1", "fe80:0:0:0:0:0:0:1/128"));
        assertTrue(l.allows(ip("2001:db8:ffff::5")));
        assertFalse(l.allows(ip("2001:db9::5")));
        assertTrue(l.allows(ip("::1")));
        assertTrue(l.allows(ip("fe80::1")));
        assertFalse(l.allows(ip("fe80::2")));
        assertFalse(l.allows(ip("127.0.0.1")));
    }

    @Test
    void ipv4MappedAddressesMatchIpv4Entries() throws Exception {
        IpAllowList l = IpAllowList.parse(List.of("10.0.0.0/8"));
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 1, 2, 3};
        assertTrue(l.allows(java.net.Inet6Address.getByAddress(null, mapped, -1)));
        IpAllowList m = IpAllowList.parse(List.of("::ffff:10.1.2.3"));
        assertTrue(m.allows(ip("10.1.2.3")));
        assertFalse(m.allows(ip("10.1.2.4")));
    }

    @Test
    void hostBitsBelowThePrefixAreIgnored() throws Exception {
        assertTrue(IpAllowList.parse(List.of("10.9.9.9/8")).allows(ip("10.1.1.1")));
    }

    @Test
    void nullAddressOnlyPassesAnEmptyList() {
        assertTrue(IpAllowList.allowAll().allows(null));
        assertFalse(IpAllowList.parse(List.of("10.0.0.0/8")).allows(null));
    }

    @Test
    void badEntriesAreRefused() {
        for (String bad : List.of("", "10.0.0", "10.0.0.0.1", "010.0.0.1", "1.2.3.4/33", "::/129", "a::g", "1::2::3",
                "localhost", "1.2.3.4::", "::1.2.3", "1:2:3:4:5:6:7")) {
            assertThrows(IllegalArgumentException.class, () -> IpAllowList.validateEntry(bad), bad);
        }
    }
}
