package io.dlrgate.gateway.replies;

import static io.dlrgate.gateway.replies.RepliesEndToEndTest.gsm;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSm;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.dispatch.encoding.Gsm7Alphabet;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A carrier's resend of a reply whose deliver_sm_resp it never got is stored once, and still acknowledged; what only
 * looks the same (another UDH part, the same text after the window) is stored each time. Over real SMPP, against
 * PostgreSQL.
 */
class ReplyDuplicatesTest {

    GatewayHarness gw;
    TestCarrier acme;

    @AfterEach
    void tearDown() {
        if (acme != null) {
            acme.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    void start(String extraYaml) throws Exception {
        gw = GatewayHarness.start(RepliesEndToEndTest.CARRIERS + extraYaml);
        acme = bind();
    }

    TestCarrier bind() {
        return TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw").bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok("m1")).bind();
    }

    int stored(String from) throws Exception {
        return (int) gw.count("select count(*) from replies where from_number = '" + from + "'");
    }

    void acknowledged(DeliverSm pdu) throws Exception {
        assertEquals(SmppConstants.STATUS_OK, acme.send(pdu, Duration.ofSeconds(20)).getCommandStatus());
    }

    @Test
    void aReplyResentAfterALostResponseIsStoredOnceAndAcknowledgedTwice() throws Exception {
        start("");
        // The carrier sends, and the connection drops before it reads the answer: as far as it knows, the reply
        // was never acknowledged.
        acme.session().sendRequestPdu(gsm("447700900301", "Yes please"), 20_000, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> stored("+447700900301") == 1);
        acme.drop();
        acme.close();
        // It binds again and sends the same PDU (a new sequence number, nothing else changed).
        acme = bind();
        acknowledged(gsm("447700900301", "Yes please"));
        acknowledged(gsm("447700900301", "Yes please"));
        assertEquals(1, stored("+447700900301"), "the resends are the stored reply, not new ones");
        // A different text from the same number is a new reply.
        acknowledged(gsm("447700900301", "Yes please!"));
        assertEquals(2, stored("+447700900301"));
        // The replies counter counts the two distinct replies; the two resends are counted apart.
        String metrics = gw.get("/metrics").body();
        assertTrue(metrics.contains("dlrgate_replies_total{carrier=\"acme\",kind=\"reply\"} 2.0"), metrics);
        assertTrue(metrics.contains("dlrgate_replies_duplicate_total{carrier=\"acme\"} 2.0"), metrics);
    }

    @Test
    void aResentStopIsStoredAndSuppressedOnce() throws Exception {
        start("");
        acknowledged(gsm("447700900302", "STOP"));
        acknowledged(gsm("447700900302", "STOP"));
        assertEquals(1, stored("+447700900302"));
        assertEquals(1, gw.count("select count(*) from suppressions where number = '+447700900302'"));
        String metrics = gw.get("/metrics").body();
        assertTrue(metrics.contains("dlrgate_replies_total{carrier=\"acme\",kind=\"opt_out\"} 1.0"), metrics);
        assertTrue(metrics.contains("dlrgate_replies_duplicate_total{carrier=\"acme\"} 1.0"), metrics);
    }

    @Test
    void theSameTextAfterTheWindowIsANewReply() throws Exception {
        start("replies: {duplicate_window: 1s}\n");
        acknowledged(gsm("447700900303", "OK"));
        acknowledged(gsm("447700900303", "OK"));
        assertEquals(1, stored("+447700900303"), "within the window: a resend");
        Thread.sleep(1_500); // past the window: the recipient said it again
        acknowledged(gsm("447700900303", "OK"));
        assertEquals(2, stored("+447700900303"), "after the window: a genuine repeat");
        acknowledged(gsm("447700900303", "OK"));
        assertEquals(2, stored("+447700900303"), "and that one's resend is a resend again");
    }

    @Test
    void theSameTextAnsweringANewMessageIsANewReply() throws Exception {
        start("");
        gw.sendAndAwaitSubmitted("+447700900306");
        acknowledged(gsm("447700900306", "Thanks"));
        gw.sendAndAwaitSubmitted("+447700900306"); // another message went to the number
        acknowledged(gsm("447700900306", "Thanks"));
        assertEquals(2, stored("+447700900306"), "an answer to each message");
        acknowledged(gsm("447700900306", "Thanks"));
        assertEquals(2, stored("+447700900306"), "and a resend of the second is a resend");
    }

    @Test
    void aZeroWindowStoresEveryCopy() throws Exception {
        start("replies: {duplicate_window: 0s}\n");
        acknowledged(gsm("447700900304", "OK"));
        acknowledged(gsm("447700900304", "OK"));
        assertEquals(2, stored("+447700900304"));
    }

    @Test
    void twoPartsWithTheSameTextAreNotTakenForEachOther() throws Exception {
        start("");
        acknowledged(part(1, "aaaa"));
        acknowledged(part(2, "aaaa"));
        acknowledged(part(2, "aaaa")); // part 2 again: a resend
        assertEquals(2, stored("+447700900305"));
    }

    /** Part {@code seq} of 2 of a concatenated reply (8-bit reference 0x2A) whose text is {@code text}. */
    static DeliverSm part(int seq, String text) throws Exception {
        byte[] udh = {0x05, 0x00, 0x03, 0x2A, 0x02, (byte) seq};
        byte[] body = Gsm7Alphabet.encode(text);
        byte[] sm = new byte[udh.length + body.length];
        System.arraycopy(udh, 0, sm, 0, udh.length);
        System.arraycopy(body, 0, sm, udh.length, body.length);
        DeliverSm d = RepliesEndToEndTest.mo("447700900305", (byte) 0x00, sm);
        d.setEsmClass((byte) 0x40);
        return d;
    }
}
