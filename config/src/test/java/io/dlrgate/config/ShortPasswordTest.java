package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShortPasswordTest {

    @Test
    void passwordUnderEightCharacters() {
        ConfigException e = fails("auth:\n  users:\n    - {name: ana, password: short, role: viewer}\n");
        assertProblem(e, "auth.users[0].password", "must be at least 8 characters");
        assertEquals(false, e.getMessage().contains("short,") || e.getMessage().contains("\"short\""),
                "the password is not echoed: " + e.getMessage());
    }

    @Test
    void missingPassword() {
        assertProblem(fails("auth:\n  users:\n    - {name: ana, role: viewer}\n"), "auth.users[0].password",
                "missing required key");
    }
}
