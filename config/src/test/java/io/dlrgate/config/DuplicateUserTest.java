package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;

import org.junit.jupiter.api.Test;

class DuplicateUserTest {

    @Test
    void sameNameTwice() {
        assertProblem(fails("auth:\n  users:\n    - {name: ana, password: ana-secret, role: viewer}\n"
                + "    - {name: ana, password: other-secret, role: admin}\n"), "auth.users[1].name",
                "duplicate user \"ana\": already defined by auth.users[0]");
    }

    @Test
    void invalidName() {
        assertProblem(fails("auth:\n  users:\n    - {name: 'a b', password: ana-secret, role: viewer}\n"),
                "auth.users[0].name", "not a valid user name");
    }
}
