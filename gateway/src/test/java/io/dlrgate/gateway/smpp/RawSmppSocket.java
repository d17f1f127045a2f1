package io.dlrgate.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoder;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext;
import io.dlrgate.config.CarrierConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A plain TCP socket speaking SMPP by hand: for bytes a well-behaved client library would never send. */
public final class RawSmppSocket implements AutoCloseable {

    private static final DefaultPduTranscoder TRANSCODER = new DefaultPduTranscoder(new DefaultPduTranscoderContext());

    private final Socket socket;
    private final DataInputStream in;

    RawSmppSocket(int port) throws IOException {
        this(port, null);
    }

    /** @param from the local address to connect from (any of 127.0.0.0/8 on Linux), or null for the default */
    public RawSmppSocket(int port, java.net.InetAddress from) throws IOException {
        this(from == null ? new Socket("127.0.0.1", port) : new Socket(java.net.InetAddress.getLoopbackAddress(),
                port, from, 0));
    }

    /** @param socket a connected socket: one this side opened, or one it accepted (playing the SMSC) */
    public RawSmppSocket(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
    }

    public void send(Pdu pdu) throws Exception {
        if (!pdu.hasSequenceNumberAssigned()) {
            pdu.setSequenceNumber(1);
        }
        ByteBuf buf = TRANSCODER.encode(pdu);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        sendBytes(bytes);
    }

    /** Several PDUs in ONE write, so the gateway reads them together. */
    void sendTogether(Pdu... pdus) throws Exception {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (Pdu pdu : pdus) {
            ByteBuf buf = TRANSCODER.encode(pdu);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            all.write(bytes);
        }
        sendBytes(all.toByteArray());
    }

    public void sendBytes(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** A PDU header (and body) built by hand. */
    public static byte[] header(int length, int commandId, int status, int sequence, byte... body) {
        ByteBuffer b = ByteBuffer.allocate(16 + body.length);
        b.putInt(length).putInt(commandId).putInt(status).putInt(sequence).put(body);
        return b.array();
    }

    void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Reads the next PDU the gateway sent (throws on timeout or close). */
    public Pdu read() throws Exception {
        int length = in.readInt();
        byte[] rest = new byte[length - 4];
        in.readFully(rest);
        ByteBuf buf = Unpooled.buffer(length);
        buf.writeInt(length).writeBytes(rest);
        return TRANSCODER.decode(buf);
    }

    /** True when the gateway closed the connection within {@code millis}. */
    public boolean closedWithin(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return closedByServer();
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(before);
            }
        }
    }

    /** True when the gateway closed the connection (EOF or reset) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    /** Binds as {@code carrier} (transceiver, sequence number 1) and checks the bind_resp is OK. */
    void bindOk(CarrierConfig carrier) throws Exception {
        send(bindTransceiver(carrier, 1));
        assertResponse(read(), com.cloudhopper.smpp.pdu.BindTransceiverResp.class, SmppConstants.STATUS_OK, 1);
    }

    /** Checks that the gateway writes nothing (no answer, no close) for {@code millis}. */
    void assertSilentFor(int millis, String why) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            org.junit.jupiter.api.Assertions.assertThrows(SocketTimeoutException.class, this::read, why);
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** A bind_transceiver for {@code carrier}, SMPP 3.4, with sequence number {@code seq}. */
    static BindTransceiver bindTransceiver(CarrierConfig carrier, int seq) {
        BindTransceiver bind = new BindTransceiver();
        bind.setSystemId(carrier.systemId());
        bind.setPassword(carrier.password());
        bind.setInterfaceVersion(SmppConstants.VERSION_3_4);
        bind.setSequenceNumber(seq);
        return bind;
    }

    static <P extends Pdu> P withSeq(P pdu, int seq) {
        pdu.setSequenceNumber(seq);
        return pdu;
    }

    public static void assertResponse(Pdu pdu, Class<? extends PduResponse> type, int status, int seq) {
        assertInstanceOf(type, pdu);
        assertEquals(status, pdu.getCommandStatus(), () -> pdu + ": status");
        assertEquals(seq, pdu.getSequenceNumber(), () -> pdu + ": sequence number");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
