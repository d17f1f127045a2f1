package io.dlrgate.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class UnboundConnectionsTest {

    private final UnboundConnections budget = new UnboundConnections(5, 2);

    private static InetAddress address(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    private UnboundConnections.Ticket admitted(String from) throws Exception {
        return assertInstanceOf(UnboundConnections.Ticket.class, budget.admit(address(from)));
    }

    @Test
    void oneAddressGetsAtMostItsShare() throws Exception {
        admitted("10.0.0.1");
        UnboundConnections.Ticket second = admitted("10.0.0.1");
        assertSame(UnboundConnections.Refusal.MAX_UNBOUND_PER_ADDRESS, budget.admit(address("10.0.0.1")));
        admitted("10.0.0.2");
        second.release();
        admitted("10.0.0.1"); // a place freed by its own connection binding or closing
        assertEquals(2, budget.open(address("10.0.0.1")));
        assertEquals(3, budget.open());
    }

    @Test
    void manyAddressesTogetherFillTheWholeBudget() throws Exception {
        for (int i = 1; i <= 5; i++) {
            admitted("10.0.0." + i);
        }
        assertSame(UnboundConnections.Refusal.MAX_UNBOUND, budget.admit(address("10.0.0.6")));
        assertSame(UnboundConnections.Refusal.MAX_UNBOUND, budget.admit(address("10.0.0.1")));
    }

    @Test
    void aTicketIsGivenBackOnceHoweverOftenItIsReleased() throws Exception {
        UnboundConnections.Ticket t = admitted("10.0.0.1");
        admitted("10.0.0.1");
        t.release();
        t.release(); // bound, then closed: both release it
        assertEquals(1, budget.open(address("10.0.0.1")));
        assertEquals(1, budget.open());
    }

    @Test
    void anAddressWithNothingOpenLeavesNoEntryBehind() throws Exception {
        UnboundConnections.Ticket t = admitted("10.0.0.1");
        admitted("10.0.0.2");
        t.release();
        assertEquals(1, budget.addresses(), "only addresses with connections open are kept");
    }
}
