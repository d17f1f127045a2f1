package io.dlrgate.simulator.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedOutcomePolicyTest {
    private static SubmitView submit(long n) {
        return new SubmitView(n, "sim", "SRC", "4477009" + n, "text " + n, Instant.EPOCH);
    }

    @Test
    void finalStatsFollowAnIndependentRecount() {
        OutcomeWeights w = OutcomeWeights.parse("DELIVRD=80,UNDELIV=10,EXPIRED=5,DELETED=3,REJECTD=2");
        WeightedOutcomePolicy policy = new WeightedOutcomePolicy(w, true, new DelayRange(10, 500), 7);
        Map<Stat, Integer> actual = new EnumMap<>(Stat.class);
        for (int i = 1; i <= 10_000; i++) {
            List<PlannedReceipt> r = policy.decide(submit(i)).receipts();
            actual.merge(r.get(r.size() - 1).stat(), 1, Integer::sum);
        }
        // recount by hand: one nextInt(100) per submit, cumulative 80/90/95/98/100 in the order given
        Random random = new Random(7);
        Map<Stat, Integer> expected = new EnumMap<>(Stat.class);
        for (int i = 0; i < 10_000; i++) {
            int v = random.nextInt(100);
            Stat s = v < 80 ? Stat.DELIVRD : v < 90 ? Stat.UNDELIV : v < 95 ? Stat.EXPIRED : v < 98 ? Stat.DELETED
                    : Stat.REJECTD;
            expected.merge(s, 1, Integer::sum);
        }
        assertEquals(expected, actual);
        assertEquals(5, actual.size());
    }

    @Test
    void enrouteComesFirstAndBeforeTheFinal() {
        WeightedOutcomePolicy policy = new WeightedOutcomePolicy(OutcomeWeights.parse("UNDELIV=1"), true,
                new DelayRange(5, 50), 3);
        for (int i = 1; i <= 200; i++) {
            List<PlannedReceipt> r = policy.decide(submit(i)).receipts();
            assertEquals(2, r.size());
            assertEquals(Stat.ENROUTE, r.get(0).stat());
            assertTrue(r.get(0).intermediate());
            assertEquals(Stat.UNDELIV, r.get(1).stat());
            assertEquals("001", r.get(1).err());
            assertFalse(r.get(1).intermediate());
            assertTrue(r.get(1).delayMillis() >= r.get(0).delayMillis() + 5);
            assertTrue(r.get(0).delayMillis() >= 5 && r.get(0).delayMillis() <= 50);
        }
    }

    @Test
    void sameSeedSameDecisionsOtherSeedOthers() {
        OutcomeWeights w = OutcomeWeights.parse("DELIVRD=50,EXPIRED=50");
        List<Decision> a = new ArrayList<>();
        List<Decision> b = new ArrayList<>();
        List<Decision> c = new ArrayList<>();
        WeightedOutcomePolicy pa = new WeightedOutcomePolicy(w, false, new DelayRange(0, 1000), 11);
        WeightedOutcomePolicy pb = new WeightedOutcomePolicy(w, false, new DelayRange(0, 1000), 11);
        WeightedOutcomePolicy pc = new WeightedOutcomePolicy(w, false, new DelayRange(0, 1000), 12);
        for (int i = 1; i <= 100; i++) {
            a.add(pa.decide(submit(i)));
            b.add(pb.decide(submit(i)));
            c.add(pc.decide(submit(i)));
        }
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void weightsParseAndRefuseNonsense() {
        OutcomeWeights w = OutcomeWeights.parse(" delivrd=3, UNDELIV = 1,EXPIRED=0 ");
        assertEquals(4, w.total());
        assertEquals(Map.of(Stat.DELIVRD, 3, Stat.UNDELIV, 1), w.asMap());
        assertEquals(Stat.DELIVRD, w.statFor(2));
        assertEquals(Stat.UNDELIV, w.statFor(3));
        assertEquals("DELIVRD=3,UNDELIV=1", w.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutcomeWeights.parse("DELIVERED=1"));
        assertTrue(e.getMessage().contains("unknown stat 'DELIVERED'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutcomeWeights.parse("DELIVRD=x"));
        assertThrows(IllegalArgumentException.class, () -> OutcomeWeights.parse("DELIVRD=1,DELIVRD=2"));
        assertThrows(IllegalArgumentException.class, () -> OutcomeWeights.parse("DELIVRD=0"));
        assertThrows(IllegalArgumentException.class, () -> OutcomeWeights.parse("DELIVRD=-1"));
        assertThrows(IllegalArgumentException.class, () -> OutcomeWeights.parse("DELIVRD"));
    }

    @Test
    void delayRanges() {
        assertEquals(new DelayRange(100, 2000), DelayRange.parse("100..2000"));
        assertEquals(DelayRange.fixed(5), DelayRange.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> DelayRange.parse("9..1"));
        assertThrows(IllegalArgumentException.class, () -> DelayRange.parse("a..b"));
        Random r = new Random(1);
        DelayRange d = new DelayRange(3, 5);
        for (int i = 0; i < 1000; i++) {
            long v = d.draw(r);
            assertTrue(v >= 3 && v <= 5, "drew " + v);
        }
    }
}
