package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnknownRoleTest {

    @Test
    void unknownRoleNamesTheUserKey() {
        assertProblem(fails("auth:\n  users:\n    - {name: ana, password: ana-secret, role: superuser}\n"),
                "auth.users[0].role", "unknown value \"superuser\"");
    }

    @Test
    void missingRole() {
        assertProblem(fails("auth:\n  users:\n    - {name: ana, password: ana-secret}\n"), "auth.users[0].role",
                "missing required key");
    }

    @Test
    void validUsersAreRead() {
        GatewayConfig c = load("auth:\n  metrics: off\n  users:\n    - {name: ana, password: ana-secret, role: viewer}\n"
                + "    - {name: bob, password: bob-secret, role: admin}\n");
        assertEquals(Role.VIEWER, c.auth().user("ana").orElseThrow().role());
        assertEquals(Role.ADMIN, c.auth().user("bob").orElseThrow().role());
        assertEquals(AuthConfig.MetricsAccess.OFF, c.auth().metrics());
        assertEquals(false, c.auth().toString().contains("ana-secret"), "passwords are never printed");
        assertEquals(AuthConfig.MetricsAccess.PUBLIC, load("").auth().metrics());
    }
}
