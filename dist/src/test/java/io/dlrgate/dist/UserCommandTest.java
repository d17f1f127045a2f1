package io.dlrgate.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Role;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.user.UserStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dlrgate user add}: a user the store then logs in, with a password from stdin or generated and shown once. */
class UserCommandTest {

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    String run(String stdin, String... args) throws Exception {
        Path config = dir.resolve("users.yaml");
        Files.writeString(config, "database:\n  url: \"" + db.url() + "\"\n  pool_size: 2\n");
        CommandLine cl = DlrgateMain.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--config";
            all[args.length + 1] = config.toString();
            assertEquals(0, cl.execute(all), out.toString());
        } finally {
            System.setIn(in);
        }
        return out.toString();
    }

    @Test
    void aUserAddedFromStdinLogsInWithThatPasswordOnly() throws Exception {
        run("sesame-17\n", "user", "add", "ann", "--role", "sender", "--password-stdin");
        UserStore users = new UserStore(db.database().dataSource(), Clock.systemUTC());
        assertEquals(Optional.of(Role.SENDER), users.check("ann", "sesame-17"));
        assertEquals(Optional.empty(), users.check("ann", "sesame-18"));
    }

    @Test
    void aGeneratedPasswordIsShownOnceAndWorks() throws Exception {
        String out = run("", "user", "add", "bob");
        Matcher m = Pattern.compile("password \\(shown once\\): (\\S+)").matcher(out);
        assertTrue(m.find(), out);
        UserStore users = new UserStore(db.database().dataSource(), Clock.systemUTC());
        assertEquals(Optional.of(Role.VIEWER), users.check("bob", m.group(1)));
    }

    @Test
    void theApiKeysNameAdminIsRefused() throws Exception {
        // A stored "admin" would share its name with the API key's web UI login; user add refuses it.
        CommandLine cl = DlrgateMain.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int code = cl.execute("user", "add", "admin", "--role", "viewer");
        assertTrue(code != 0, "refused with a non-zero exit: " + out);
        assertTrue(out.toString().contains("the name admin is the API key's"), out.toString());
        UserStore users = new UserStore(db.database().dataSource(), Clock.systemUTC());
        assertEquals(Optional.empty(), users.role("admin"));
    }
}
