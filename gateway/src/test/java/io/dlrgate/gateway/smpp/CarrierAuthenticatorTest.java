package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CarrierAuthenticatorTest {

    private static final CarrierConfig FENCED_RX = GatewayServerTestBase.carrier("c1", "sys1", "pw1",
            EnumSet.of(BindType.RECEIVER), 1, List.of("10.0.0.0/8"));
    private final CarrierAuthenticator auth = new CarrierAuthenticator(List.of(FENCED_RX));

    private int status(String systemId, String password, BindType type, String from) throws Exception {
        return assertThrows(CarrierAuthenticator.Rejected.class,
                () -> auth.authenticate(systemId, password, type, InetAddress.getByName(from))).status();
    }

    @Test
    void acceptsTheRightCredentialsTypeAndAddress() throws Exception {
        assertSame(FENCED_RX, auth.authenticate("sys1", "pw1", BindType.RECEIVER, InetAddress.getByName("10.1.2.3")));
    }

    @Test
    void answersEachRefusalWithItsCode() throws Exception {
        assertEquals(SmppConstants.STATUS_INVSYSID, status("nobody", "pw1", BindType.RECEIVER, "10.1.2.3"));
        assertEquals(SmppConstants.STATUS_INVSYSID, status("SYS1", "pw1", BindType.RECEIVER, "10.1.2.3"));
        assertEquals(SmppConstants.STATUS_INVPASWD, status("sys1", "PW1", BindType.RECEIVER, "10.1.2.3"));
        assertEquals(SmppConstants.STATUS_INVPASWD, status("sys1", "", BindType.RECEIVER, "10.1.2.3"));
        assertEquals(SmppConstants.STATUS_BINDFAIL, status("sys1", "pw1", BindType.TRANSMITTER, "10.1.2.3"));
        assertEquals(SmppConstants.STATUS_BINDFAIL, status("sys1", "pw1", BindType.RECEIVER, "192.168.1.1"));
    }

    @Test
    void anAddressOutsideTheListLearnsNothingAboutThePassword() throws Exception {
        assertEquals(SmppConstants.STATUS_BINDFAIL, status("sys1", "wrong", BindType.RECEIVER, "192.168.1.1"));
    }

    @Test
    void twoCarriersWithOneSystemIdAreRefused() {
        CarrierConfig twin = GatewayServerTestBase.carrier("c2", "sys1", "x", EnumSet.allOf(BindType.class), 1, List.of());
        assertThrows(IllegalArgumentException.class, () -> new CarrierAuthenticator(List.of(FENCED_RX, twin)));
    }
}
