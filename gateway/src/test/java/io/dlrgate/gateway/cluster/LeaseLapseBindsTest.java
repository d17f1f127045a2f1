package io.dlrgate.gateway.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.TcpProxy;
import io.dlrgate.gateway.testing.TestCarrier;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An instance that is alive but loses its lease (here: its way to the database cut, as in a network stall or a long
 * pause) is taken over by another, which removes its carrier binds from the count across instances while its
 * carriers stay bound to it. Once it reaches the database again it counts those binds again, as far as
 * {@code max_binds} (2 here) leaves room, and closes those that no longer fit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaseLapseBindsTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    final ClusterBed bed = new ClusterBed();
    final TcpProxy proxy;
    /** Reaches the database through {@link #proxy}, which the tests cut; {@link #b} does not. */
    final Gateway a;
    final long aId;
    final Gateway b;
    /** A carrier bound to {@link #a} before anything else happens. */
    final TestCarrier onA;

    LeaseLapseBindsTest() throws Exception {
        proxy = TcpProxy.inFrontOf(bed.db.url());
        String yaml = bed.yaml(Duration.ofSeconds(3), Duration.ofSeconds(60)).replace("    max_binds: 8\n",
                "    max_binds: 2\n");
        a = bed.start(yaml.replace(bed.db.url(), proxy.jdbcUrl(bed.db.url())));
        aId = bed.newestInstance();
        b = bed.start(yaml);
        onA = CarrierLimitsAcrossInstancesTest.acme(a).bind();
        bed.carriers.add(onA);
    }

    /** The bed first: the instance behind the proxy releases its lease through it as it stops. */
    @AfterEach
    void tearDown() {
        bed.close();
        proxy.close();
    }

    /** Cuts the way of instance {@link #a} to the database until {@link #b} took it over. */
    void takenOver() throws Exception {
        proxy.cut();
        await().atMost(WAIT).until(() -> bed.count("select count(*) from instances where id = " + aId
                + " and released_at is not null and released_by <> id") == 1);
        assertEquals(0, bed.count("select count(*) from carrier_binds where instance_id = " + aId),
                "the takeover removed the binds of the instance taken over");
        assertTrue(onA.isBound(), "the carrier stays bound to the instance cut from the database");
    }

    @Test
    void aTakenOverInstanceCountsItsOpenBindsAgain() throws Exception {
        takenOver();
        proxy.restore();

        // Registered anew, the instance counts its bind again: without that, a third bind would be admitted.
        await().atMost(WAIT).until(() -> bed.count("select count(*) from carrier_binds b join instances i "
                + "on i.id = b.instance_id where i.released_at is null and i.id <> " + aId) == 1);
        assertTrue(onA.isBound(), "room for it: it stays bound");
        bed.carriers.add(CarrierLimitsAcrossInstancesTest.acme(b).bind());
        assertEquals(SmppConstants.STATUS_BINDFAIL, CarrierLimitsAcrossInstancesTest.acme(b).bindExpectingFailure());
    }

    @Test
    void bindsAdmittedElsewhereMeanwhileKeepTheirPlacesAndTheLapsedInstanceClosesItsOwn() throws Exception {
        takenOver();
        // The instance taken over counts nothing now: the other admits max_binds binds of its own.
        TestCarrier onB1 = CarrierLimitsAcrossInstancesTest.acme(b).bind();
        TestCarrier onB2 = CarrierLimitsAcrossInstancesTest.acme(b).bind();
        bed.carriers.add(onB1);
        bed.carriers.add(onB2);
        proxy.restore();

        // Three binds open for a max_binds of 2 until the instance back closes its own, which found no place.
        await().atMost(WAIT).until(onA::closedByPeer);
        assertTrue(onB1.isBound() && onB2.isBound(), "the binds counted meanwhile stay");
        assertEquals(2, bed.count("select count(*) from carrier_binds"));
    }
}
