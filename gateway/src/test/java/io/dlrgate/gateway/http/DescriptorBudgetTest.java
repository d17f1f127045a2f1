package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connection caps and the pool must fit in the open-file limit, with room for the process itself. */
class DescriptorBudgetTest {

    static GatewayConfig config(int httpMax) {
        return ConfigLoader.fromYaml("smpp:\n  max_connections: 100\nhttp:\n  max_connections: " + httpMax
                + "\ndatabase:\n  url: jdbc:postgresql://127.0.0.1:5432/x\n  pool_size: 10\n"
                + "carriers:\n  - {id: a, system_id: a, password: a-password, prefixes: [\"+44\"]}\n", "t.yaml", Map.of());
    }

    /** As {@link #config}, with a read replica: its pool is half pool_size, at least 4 (here 5). */
    static GatewayConfig withReplica(int httpMax) {
        return ConfigLoader.fromYaml("smpp:\n  max_connections: 100\nhttp:\n  max_connections: " + httpMax
                + "\ndatabase:\n  url: jdbc:postgresql://127.0.0.1:5432/x\n  pool_size: 10\n"
                + "  read_url: jdbc:postgresql://127.0.0.1:5433/x\n"
                + "carriers:\n  - {id: a, system_id: a, password: a-password, prefixes: [\"+44\"]}\n", "t.yaml", Map.of());
    }

    @Test
    void theReplicaPoolAndItsProbeCountToo() {
        GatewayConfig c = withReplica(1_000);
        assertEquals(5, c.database().replica().poolSize());
        long withoutReplica = 1_000 + 100 + 20 + 10 + DescriptorBudget.RESERVE;
        DescriptorBudget.check(c, withoutReplica + 5 + 1);
        DescriptorBudget.Exceeded e = assertThrows(DescriptorBudget.Exceeded.class,
                () -> DescriptorBudget.check(c, withoutReplica + 5));
        assertTrue(e.getMessage().contains("database.pool_size 10 + database.read_url pool 5 and its lag probe 1 + "
                + "256 for the process itself = 1392"), e.getMessage());
    }

    @Test
    void capsThatFitPass() {
        DescriptorBudget.check(config(1_000), 1_000 + 100 + 20 + 10 + DescriptorBudget.RESERVE);
    }

    @Test
    void capsThatDoNotFitRefuseTheStartNamingTheFigures() {
        DescriptorBudget.Exceeded e = assertThrows(DescriptorBudget.Exceeded.class,
                () -> DescriptorBudget.check(config(1_000), 1_024));
        assertTrue(e.getMessage().contains("open-file limit (nofile) is 1024"), e.getMessage());
        assertTrue(e.getMessage().contains("http.max_connections 1000 + smpp.max_connections and "
                + "max_unbound_connections 120 + database.pool_size 10 + 256 for the process itself = 1386"),
                e.getMessage());
        assertTrue(e.getMessage().contains("lower http.max_connections"), e.getMessage());
    }
}
