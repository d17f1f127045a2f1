package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A carrier's {@code connect:} block: how the gateway binds out to the carrier's SMSC. */
class ConnectSectionTest {

    /** A carrier that only binds out, with the given extra lines inside {@code connect:}. */
    private static String connectOnly(String... connectLines) {
        StringBuilder sb = new StringBuilder("carriers:\n  - id: vodafone-uk\n    prefixes: [\"+44\"]\n    connect:\n");
        for (String l : connectLines) {
            sb.append("      ").append(l).append('\n');
        }
        return sb.toString();
    }

    private static final String[] MINIMAL = {"host: smsc.example.net", "port: 2775", "system_id: acme",
            "password: secret"};

    private static String[] with(String... more) {
        String[] out = new String[MINIMAL.length + more.length];
        System.arraycopy(MINIMAL, 0, out, 0, MINIMAL.length);
        System.arraycopy(more, 0, out, MINIMAL.length, more.length);
        return out;
    }

    @Test
    void theIssuesExampleLoads() {
        CarrierConfig c = load("carriers:\n  - id: vodafone-uk\n    connect:\n      host: smsc.example.net\n"
                + "      port: 2775\n      tls: false\n      system_id: acme\n      password: secret\n"
                + "      system_type: \"\"\n      bind: transceiver\n      sessions: 2\n      address_range: \"\"\n"
                + "    prefixes: [\"+44\"]\n    window_size: 50\n    max_submit_rate: 100\n").carriers().get(0);
        ConnectConfig k = c.connect();
        assertEquals("smsc.example.net", k.host());
        assertEquals(2775, k.port());
        assertNull(k.tls());
        assertEquals("acme", k.systemId());
        assertEquals("secret", k.password());
        assertEquals(ConnectConfig.Bind.TRANSCEIVER, k.bind());
        assertEquals(2, k.sessions());
        assertEquals(Duration.ofSeconds(1), k.reconnectMin());
        assertEquals(Duration.ofSeconds(60), k.reconnectMax());
        assertFalse(c.acceptsBinds(), "only connect: no binds come in");
        assertNull(c.systemId());
        assertFalse(k.toString().contains("secret"), k.toString());
        assertFalse(c.toString().contains("secret"), c.toString());
    }

    @Test
    void everyKeyLoads(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        ConnectConfig k = load(connectOnly(with("bind: transmitter+receiver", "sessions: 3", "system_type: VMA",
                "address_range: \"^44\"", "tls: {trust: \"" + pem + "\", verify_hostname: false}",
                "reconnect: {min: 500ms, max: 2m}", "enquire_link_interval: 45s"))).carriers().get(0).connect();
        assertEquals(ConnectConfig.Bind.TRANSMITTER_RECEIVER, k.bind());
        assertEquals(3, k.sessions());
        assertEquals("VMA", k.systemType());
        assertEquals("^44", k.addressRange());
        assertEquals(pem, k.tls().trust());
        assertFalse(k.tls().verifyHostname());
        assertEquals(Duration.ofMillis(500), k.reconnectMin());
        assertEquals(Duration.ofMinutes(2), k.reconnectMax());
        assertEquals(Duration.ofSeconds(45), k.enquireLinkInterval());
    }

    @Test
    void enquireLinkCannotBeTurnedOffOnAnOutboundBind() {
        assertProblem(fails(connectOnly(with("enquire_link_interval: 0s"))),
                "carriers[0].connect.enquire_link_interval", "must be at least 100ms", "got 0s",
                "alive only by its enquire_link answers");
        assertProblem(fails(connectOnly(with("enquire_link_interval: 50ms"))),
                "carriers[0].connect.enquire_link_interval", "must be at least 100ms");
    }

    @Test
    void tlsTrueVerifiesHostnamesWithTheJdkTrust() {
        ConnectConfig.Tls tls = load(connectOnly(with("tls: true"))).carriers().get(0).connect().tls();
        assertNull(tls.trust());
        assertTrue(tls.verifyHostname());
    }

    @Test
    void addrTonAndNpiGoWithTheAddressRange() {
        ConnectConfig k = load(connectOnly(with("address_range: \"^44\"", "addr_ton: 1", "addr_npi: 1")))
                .carriers().get(0).connect();
        assertEquals(1, k.addrTon());
        assertEquals(1, k.addrNpi());
        ConnectConfig d = load(connectOnly(MINIMAL)).carriers().get(0).connect();
        assertEquals(0, d.addrTon());
        assertEquals(0, d.addrNpi());
        assertProblem(fails(connectOnly(with("addr_ton: 256"))), "carriers[0].connect.addr_ton");
    }

    @Test
    void inboundLimitsOnAConnectOnlyCarrierAreAMistake() {
        ConfigException e = fails("carriers:\n  - id: alpha\n    prefixes: [\"+44\"]\n    bind_types: [transceiver]\n"
                + "    max_binds: 2\n    allowed_ips: [127.0.0.1]\n    connect: {host: 127.0.0.1, port: 2775, "
                + "system_id: out, password: outpw}\n");
        assertEquals(4, assertProblem(e, "carriers[0].bind_types", "only for binds coming in (needs system_id)")
                .line());
        assertEquals(5, assertProblem(e, "carriers[0].max_binds", "only for binds coming in (needs system_id)")
                .line());
        assertEquals(6, assertProblem(e, "carriers[0].allowed_ips", "only for binds coming in (needs system_id)")
                .line());
    }

    @Test
    void anOutboundPasswordOverEightCharactersIsRefused() {
        ConfigException e = fails(connectOnly("host: 127.0.0.1", "port: 2775", "system_id: acme",
                "password: ninechars"));
        assertEquals(8, assertProblem(e, "carriers[0].connect.password", "at most 8 characters", "got 9").line());
        assertFalse(e.getMessage().contains("ninechars"), "the password itself is never shown");
    }

    @Test
    void anOutboundPasswordOverEightCharactersFromTheEnvironmentIsRefused() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.fromYaml(connectOnly("host: 127.0.0.1", "port: 2775", "system_id: acme"), "x.yaml",
                        Map.of("DLRGATE_CARRIER_VODAFONE_UK_CONNECT_PASSWORD", "muchtoolong")));
        assertProblem(e, "carriers[0].connect.password", "at most 8 characters", "got 11",
                "DLRGATE_CARRIER_VODAFONE_UK_CONNECT_PASSWORD");
        assertFalse(e.getMessage().contains("muchtoolong"), "the password itself is never shown");
    }

    @Test
    void aCarrierWithBothHasBoth() {
        CarrierConfig c = load("carriers:\n" + carrier("alpha", "connect: {host: 127.0.0.1, port: 2775, "
                + "system_id: out, password: outpw}")).carriers().get(0);
        assertTrue(c.acceptsBinds());
        assertEquals("alpha-secret", c.password());
        assertEquals("outpw", c.connect().password());
    }

    @Test
    void aCarrierWithSystemIdAndConnectStillNeedsItsInboundPassword() {
        ConfigException e = fails("carriers:\n  - id: alpha\n    system_id: alpha\n    connect: {host: 127.0.0.1, "
                + "port: 2775, system_id: out, password: outpw}\n");
        assertProblem(e, "carriers[0].password", "missing required key", "DLRGATE_CARRIER_ALPHA_PASSWORD");
    }

    @Test
    void withoutConnectSystemIdIsStillRequired() {
        assertProblem(fails("carriers:\n  - {id: alpha, password: a}\n"), "carriers[0].system_id",
                "missing required key");
    }

    @Test
    void anInboundPasswordWithoutSystemIdIsAMistake() {
        ConfigException e = fails("carriers:\n  - id: alpha\n    password: inpw\n    connect: {host: 127.0.0.1, "
                + "port: 2775, system_id: out, password: outpw}\n");
        assertProblem(e, "carriers[0].password", "needs a system_id too", "goes under connect");
    }

    @Test
    void missingHostPortSystemIdAndPassword() {
        ConfigException e = fails(connectOnly("system_type: x"));
        assertProblem(e, "carriers[0].connect.host", "missing required key");
        assertProblem(e, "carriers[0].connect.port", "missing required key");
        assertProblem(e, "carriers[0].connect.system_id", "missing required key");
        assertProblem(e, "carriers[0].connect.password", "missing required key",
                "DLRGATE_CARRIER_VODAFONE_UK_CONNECT_PASSWORD", "DLRGATE_CARRIER_VODAFONE_UK_PASSWORD");
    }

    @Test
    void badHostAndPort() {
        ConfigException e = fails(connectOnly("host: \"smsc example\"", "port: 70000", "system_id: a", "password: b"));
        assertProblem(e, "carriers[0].connect.host", "not an IP address or host name");
        assertProblem(e, "carriers[0].connect.port", "between 1 and 65535");
        assertEquals(6, e.problemAt("carriers[0].connect.port").orElseThrow().line());
    }

    @Test
    void unknownBindMode() {
        assertProblem(fails(connectOnly(with("bind: transciever"))), "carriers[0].connect.bind",
                "unknown value \"transciever\"", "did you mean transceiver?",
                "expected one of transceiver, transmitter+receiver");
    }

    @Test
    void sessionsOutOfRange() {
        assertProblem(fails(connectOnly(with("sessions: 0"))), "carriers[0].connect.sessions", "between 1 and 64");
    }

    @Test
    void tlsOfTheWrongShape() {
        assertProblem(fails(connectOnly(with("tls: yes please"))), "carriers[0].connect.tls",
                "expected true, false or a mapping");
        assertProblem(fails(connectOnly(with("tls: {verify_hostname: maybe}"))),
                "carriers[0].connect.tls.verify_hostname", "expected true or false");
        assertProblem(fails(connectOnly(with("tls: {trusted: ca.pem}"))), "carriers[0].connect.tls.trusted",
                "unknown key", "did you mean trust?");
    }

    @Test
    void unreadableTrustFile(@TempDir Path dir) {
        assertProblem(fails(connectOnly(with("tls: {trust: \"" + dir.resolve("missing.pem") + "\"}"))),
                "carriers[0].connect.tls.trust", "cannot read the PEM file", "missing.pem");
    }

    @Test
    void reconnectBounds() {
        assertProblem(fails(connectOnly(with("reconnect: {min: 2m, max: 1m}"))), "carriers[0].connect.reconnect.min",
                "must not exceed reconnect.max (1m)");
        assertProblem(fails(connectOnly(with("reconnect: {max: 2h}"))), "carriers[0].connect.reconnect.max",
                "between 100ms and 1h");
        assertProblem(fails(connectOnly(with("reconnect: {min: 10ms}"))), "carriers[0].connect.reconnect.min",
                "between 100ms and 1h");
        assertProblem(fails(connectOnly(with("reconnect: {minimum: 1s}"))), "carriers[0].connect.reconnect.minimum",
                "unknown key");
    }

    @Test
    void smppFieldLimits() {
        ConfigException e = fails(connectOnly("host: a", "port: 1", "system_id: abcdefghijklmnop", "password: p",
                "system_type: abcdefghijklm", "address_range: \"" + "1".repeat(41) + "\""));
        assertProblem(e, "carriers[0].connect.system_id", "at most 15 characters");
        assertProblem(e, "carriers[0].connect.system_type", "at most 12 characters");
        assertProblem(e, "carriers[0].connect.address_range", "at most 40 characters");
    }

    @Test
    void unknownKeyInConnect() {
        assertProblem(fails(connectOnly(with("sesions: 2"))), "carriers[0].connect.sesions", "unknown key",
                "did you mean sessions?");
    }

    @Test
    void emptyPassword() {
        assertProblem(fails(connectOnly("host: a", "port: 1", "system_id: a", "password: \"\"")),
                "carriers[0].connect.password", "must not be empty");
    }

    @Test
    void passwordFromTheEnvironment() {
        String yaml = connectOnly("host: a", "port: 1", "system_id: a");
        assertEquals("fromenv", ConfigLoader.fromYaml(yaml, "x.yaml",
                Map.of("DLRGATE_CARRIER_VODAFONE_UK_PASSWORD", "fromenv")).carriers().get(0).connect().password());
        assertEquals("connvar", ConfigLoader.fromYaml(yaml, "x.yaml",
                Map.of("DLRGATE_CARRIER_VODAFONE_UK_CONNECT_PASSWORD", "connvar")).carriers().get(0).connect()
                .password());
        // A carrier that also binds in: its own variable stays the inbound password.
        CarrierConfig both = ConfigLoader.fromYaml("carriers:\n" + carrier("alpha",
                        "connect: {host: a, port: 1, system_id: out, password: filepw}"), "x.yaml",
                Map.of("DLRGATE_CARRIER_ALPHA_PASSWORD", "inenv")).carriers().get(0);
        assertEquals("inenv", both.password());
        assertEquals("filepw", both.connect().password());
    }

    @Test
    void connectIsAMapping() {
        assertProblem(fails(connectOnly().replace("connect:\n", "connect: smsc:2775\n")), "carriers[0].connect",
                "expected a mapping");
    }
}
