package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BadCidrTest {

    private static ConfigException failsWith(String entry) {
        return fails("carriers:\n" + carrier("alpha", "allowed_ips: [\"10.0.0.1\", \"" + entry + "\"]"));
    }

    @Test
    void prefixLengthTooLongForIpv4() {
        assertProblem(failsWith("10.0.0.0/33"), "carriers[0].allowed_ips[1]",
                "bad CIDR prefix length in \"10.0.0.0/33\": must be between 0 and 32, got 33");
    }

    @Test
    void prefixLengthTooLongForIpv6() {
        assertProblem(failsWith("2001:db8::/129"), "carriers[0].allowed_ips[1]", "must be between 0 and 128, got 129");
    }

    @Test
    void prefixLengthNotANumber() {
        assertProblem(failsWith("10.0.0.0/x"), "carriers[0].allowed_ips[1]", "bad CIDR prefix length");
        assertProblem(failsWith("10.0.0.0/"), "carriers[0].allowed_ips[1]", "bad CIDR prefix length");
    }

    @Test
    void octetOutOfRange() {
        assertProblem(failsWith("10.0.0.256"), "carriers[0].allowed_ips[1]", "not an IP address or CIDR range: \"10.0.0.256\"");
    }

    @Test
    void hostNamesAreNotAllowed() {
        assertProblem(failsWith("carrier.example.com"), "carriers[0].allowed_ips[1]", "host names are not allowed");
    }

    @Test
    void malformedIpv6() {
        assertProblem(failsWith("2001:db8:::1"), "carriers[0].allowed_ips[1]", "not an IP address");
        assertProblem(failsWith("1:2:3:4:5:6:7:8:9"), "carriers[0].allowed_ips[1]", "not an IP address");
        assertProblem(failsWith("fe80::1%eth0"), "carriers[0].allowed_ips[1]", "not an IP address");
        assertProblem(failsWith("12345::1"), "carriers[0].allowed_ips[1]", "not an IP address");
    }

    @Test
    void goodEntriesOfBothFamiliesLoad() {
        List<String> ips = List.of("10.0.0.0/8", "192.168.1.7", "::1", "2001:db8::/32", "::ffff:10.1.2.3", "0.0.0.0/0");
        GatewayConfig c = load("carriers:\n" + carrier("alpha", "allowed_ips: [\"" + String.join("\", \"", ips) + "\"]"));
        assertEquals(ips, c.carriers().get(0).allowedIps());
    }

    @Test
    void everyBadEntryIsReported() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "allowed_ips: [\"a\", \"10.0.0.1\", \"b/8\"]"));
        assertEquals(List.of("carriers[0].allowed_ips[0]", "carriers[0].allowed_ips[2]"),
                e.problems().stream().map(ConfigException.Problem::keyPath).toList());
    }
}
