package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.commons.charset.CharsetUtil;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.tlv.Tlv;
import io.dlrgate.simulator.outcome.Part;
import io.dlrgate.simulator.testing.TestEsme;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Concatenated messages at the simulator, over real loopback SMPP: an ESME (ch-smpp's client, in the test) sends
 * each message as parts, tied by an 8-bit or 16-bit UDH reference or by the SAR TLVs, and the simulator (SMSC
 * role; the carrier role shares the answerer) answers each part with its own id, sends each its own receipt,
 * gives parts the outcomes the rules say, and records each part in its ledger grouped into its message.
 */
class ConcatPartsEndToEndTest {
    static final String SCENARIO = """
            name: parts
            role: smsc
            seed: 11
            carriers:
              - {id: alpha, password: alpha-pw, prefixes: ["+44"], receipt_delay: 0ms..20ms}
            rules:
              - name: part two fails
                match: {number_prefix: "+4477001"}
                outcome: DELIVRD
                parts: {2: UNDELIV}
              - name: one lost
                match: {number_prefix: "+4477002"}
                outcome: one_part_lost
              - name: the rest
                outcome: DELIVRD
            """;
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Three parts of GSM text, with extension characters at the edges. */
    static final List<String> GSM_PARTS = List.of("first part ends with €", "[second] {part}", "third ~ and ^ last");

    enum Scheme { UDH8, UDH16, SAR }

    static SubmitSm part(String to, Scheme scheme, int ref, int total, int seq, String text, boolean ucs2)
            throws Exception {
        SubmitSm sm = TestEsme.submitSm(to, "");
        byte[] body = ucs2 ? text.getBytes(StandardCharsets.UTF_16BE)
                : CharsetUtil.encode(text, CharsetUtil.CHARSET_GSM);
        sm.setDataCoding(ucs2 ? (byte) 0x08 : (byte) 0x00);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        switch (scheme) {
            case UDH8 -> b.write(new byte[] {5, 0x00, 3, (byte) ref, (byte) total, (byte) seq});
            case UDH16 -> b.write(new byte[] {6, 0x08, 4, (byte) (ref >> 8), (byte) ref, (byte) total, (byte) seq});
            case SAR -> {
                sm.setOptionalParameter(new Tlv((short) 0x020C, new byte[] {(byte) (ref >> 8), (byte) ref}));
                sm.setOptionalParameter(new Tlv((short) 0x020E, new byte[] {(byte) total}));
                sm.setOptionalParameter(new Tlv((short) 0x020F, new byte[] {(byte) seq}));
            }
        }
        if (scheme != Scheme.SAR) {
            sm.setEsmClass(SmppConstants.ESM_CLASS_UDHI_MASK);
        }
        b.write(body);
        sm.setShortMessage(b.toByteArray());
        return sm;
    }

    /** Sends the parts in order, returns the id each was answered with. */
    static List<String> send(TestEsme esme, String to, Scheme scheme, int ref, List<String> parts, boolean ucs2)
            throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            SubmitSmResp r = esme.submitter().submit(part(to, scheme, ref, parts.size(), i + 1, parts.get(i), ucs2),
                    10_000);
            assertEquals(0, r.getCommandStatus(), to + " part " + (i + 1));
            ids.add(r.getMessageId());
        }
        return ids;
    }

    @Test
    void partsOfEachSchemeAreRecognisedAnsweredAndReceiptedOneByOne() throws Exception {
        try (ScenarioRunner runner = SmscRoleTest.listen(ScenarioLoader.fromYaml(SCENARIO, "parts.yaml", null));
             TestEsme esme = new TestEsme(runner.smscPort(), "alpha", "alpha-pw")) {
            esme.bind(SmppBindType.TRANSCEIVER);
            assertTrue(runner.carriers().get("alpha").awaitBound(WAIT));
            Map<String, List<String>> ids = new HashMap<>();
            ids.put("+447700900001", send(esme, "447700900001", Scheme.UDH8, 200, GSM_PARTS, false));
            ids.put("+447700900002", send(esme, "447700900002", Scheme.UDH16, 0xABCD, GSM_PARTS, false));
            ids.put("+447700900003", send(esme, "447700900003", Scheme.SAR, 0x1234, GSM_PARTS, false));
            List<String> ucs2 = List.of("ends with an emoji 😀", "😀 starts one", "Ωmega");
            ids.put("+447700900004", send(esme, "447700900004", Scheme.UDH8, 7, ucs2, true));
            // the same reference to another number is another message
            ids.put("+447700900005", send(esme, "447700900005", Scheme.UDH8, 200, List.of("a", "b"), false));
            SmscRoleTest.awaitSettled(runner, 14);

            Set<String> all = new HashSet<>();
            ids.values().forEach(all::addAll);
            assertEquals(14, all.size(), "each part is answered with its own id");
            Map<String, List<TestEsme.Receipt>> receipts = esme.receipts().stream()
                    .collect(Collectors.groupingBy(TestEsme.Receipt::id));
            for (String id : all) {
                assertEquals(1, receipts.getOrDefault(id, List.of()).size(), "one receipt for part " + id);
                assertEquals("DELIVRD", receipts.get(id).get(0).stat());
            }

            List<ScenarioRunner.LedgerLine> ledger = runner.ledger();
            assertEquals(14, ledger.size(), "one ledger line per part");
            Map<String, Part.Scheme> schemes = Map.of("+447700900001", Part.Scheme.UDH8, "+447700900002",
                    Part.Scheme.UDH16, "+447700900003", Part.Scheme.SAR, "+447700900004", Part.Scheme.UDH8,
                    "+447700900005", Part.Scheme.UDH8);
            Map<String, Integer> refs = Map.of("+447700900001", 200, "+447700900002", 0xABCD, "+447700900003", 0x1234,
                    "+447700900004", 7, "+447700900005", 200);
            for (ScenarioRunner.LedgerLine l : ledger) {
                assertNotNull(l.part(), l.number() + " " + l.content());
                assertEquals(schemes.get(l.number()), l.part().scheme(), l.number());
                assertEquals(refs.get(l.number()), l.part().reference(), l.number());
                assertEquals(ids.get(l.number()).get(l.part().number() - 1), l.messageId(),
                        l.number() + " part " + l.part().number() + "'s id");
                assertEquals("delivered", l.tab());
            }
            List<LedgerMessages.Message> messages = LedgerMessages.of(ledger);
            assertEquals(5, messages.size(), "the parts group into their messages");
            Map<String, LedgerMessages.Message> byNumber = messages.stream()
                    .collect(Collectors.toMap(LedgerMessages.Message::number, m -> m));
            assertEquals(String.join("", GSM_PARTS), byNumber.get("+447700900001").content());
            assertEquals(String.join("", GSM_PARTS), byNumber.get("+447700900002").content());
            assertEquals(String.join("", GSM_PARTS), byNumber.get("+447700900003").content());
            assertEquals(String.join("", ucs2), byNumber.get("+447700900004").content(), "UCS-2 parts decoded");
            assertEquals("ab", byNumber.get("+447700900005").content());
            assertEquals(3, byNumber.get("+447700900001").parts());
            messages.forEach(m -> assertEquals("delivered", m.tab(), m.number()));
        }
    }

    @Test
    void partsTakeTheirOwnOutcomesAndOnePartLostIsSeeded() throws Exception {
        Map<String, Integer> lostFirst = null;
        for (int run = 0; run < 2; run++) {
            try (ScenarioRunner runner = SmscRoleTest.listen(ScenarioLoader.fromYaml(SCENARIO, "parts.yaml", null));
                 TestEsme esme = new TestEsme(runner.smscPort(), "alpha", "alpha-pw")) {
                esme.bind(SmppBindType.TRANSCEIVER);
                assertTrue(runner.carriers().get("alpha").awaitBound(WAIT));
                List<String> failing = send(esme, "447700100001", Scheme.UDH8, 1, GSM_PARTS, false);
                for (int i = 0; i < 6; i++) {
                    send(esme, "44770020000" + i, Scheme.SAR, 300 + i, GSM_PARTS, false);
                }
                SmscRoleTest.awaitSettled(runner, 3 + 6 * 2);
                Map<String, String> stats = new HashMap<>();
                esme.receipts().forEach(r -> stats.put(r.id(), r.stat()));
                assertEquals(List.of("DELIVRD", "UNDELIV", "DELIVRD"),
                        failing.stream().map(stats::get).toList(), "parts: {2: UNDELIV}");

                List<ScenarioRunner.LedgerLine> ledger = runner.ledger();
                Map<String, Integer> lost = new HashMap<>();
                for (ScenarioRunner.LedgerLine l : ledger) {
                    if (l.number().startsWith("+4477002") && l.receipts().isEmpty()) {
                        assertNull(lost.put(l.number(), l.part().number()), "one part lost per message");
                        assertTrue(l.fault().contains("lost"), l.fault());
                        assertEquals("pending", l.tab());
                    }
                }
                assertEquals(6, lost.size(), "every message lost one part: " + lost);
                Set<Integer> which = new HashSet<>(lost.values());
                assertTrue(which.size() > 1, "the lost part is drawn, not always the same: " + lost);
                if (lostFirst == null) {
                    lostFirst = lost;
                } else {
                    assertEquals(lostFirst, lost, "same seed, same lost parts");
                }

                Map<String, LedgerMessages.Message> byNumber = LedgerMessages.of(ledger).stream()
                        .collect(Collectors.toMap(LedgerMessages.Message::number, m -> m));
                LedgerMessages.Message hard = byNumber.get("+447700100001");
                assertEquals("hard-bounces", hard.tab(), "a part failed for good: the message is a hard bounce");
                assertEquals(Map.of(1, "delivered", 2, "hard-bounces", 3, "delivered"), hard.partTabs());
                assertEquals("UNDELIV", ledger.stream().filter(l -> l.number().equals("+447700100001")
                        && l.part().number() == 2).findFirst().orElseThrow().finalStat());
                byNumber.values().stream().filter(m -> m.number().startsWith("+4477002"))
                        .forEach(m -> assertEquals("pending", m.tab(), "a lost part keeps the message pending"));
            }
        }
    }
}
