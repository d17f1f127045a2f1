package io.dlrgate.gateway.cli;

import io.dlrgate.config.GatewayConfig;
import io.dlrgate.config.Role;
import io.dlrgate.reporting.db.Database;
import io.dlrgate.reporting.user.PasswordHash;
import io.dlrgate.reporting.user.UserStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dlrgate user ...}: users of the HTTP API and web UI kept in the store (beside the config's auth.users). */
@Command(name = "user", mixinStandardHelpOptions = true, subcommands = UserCommand.Add.class,
        description = "Users of the HTTP API and web UI kept in the store.")
public final class UserCommand {

    /** {@code dlrgate user add NAME --role ROLE}: the password from stdin, or a generated one printed once. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a user to the store, or give an existing one a new password and role. Without "
                    + "--password-stdin a password is generated and printed once.")
    static final class Add implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "the user name (1 to 64 characters, no ':')")
        String name;

        @Option(names = "--role", defaultValue = "viewer", description = "viewer, sender or admin (default ${DEFAULT-VALUE})")
        String role;

        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean passwordStdin;

        @Option(names = "--config", paramLabel = "FILE",
                description = "YAML config file naming the store (default: $DLRGATE_CONFIG, else the built-in dlrgate.yaml)")
        String config;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            Role r = Role.fromName(role).orElse(null);
            if (r == null) {
                err.println("dlrgate user add: --role must be viewer, sender or admin, not '" + role + "'");
                return GatewayLauncher.EXIT_BAD_CONFIG;
            }
            if (name.equals("admin")) {
                // The API key logs into the web UI as admin; a stored admin would muddle whose role a session has.
                err.println("dlrgate user add: the name admin is the API key's; choose another name");
                return GatewayLauncher.EXIT_BAD_CONFIG;
            }
            if (name.isBlank() || name.length() > 64 || name.contains(":")) {
                err.println("dlrgate user add: the name must be 1 to 64 characters without ':' (HTTP Basic splits there)");
                return GatewayLauncher.EXIT_BAD_CONFIG;
            }
            String password = passwordStdin ? readPassword() : PasswordHash.randomPassword();
            if (password == null || password.isEmpty()) {
                err.println("dlrgate user add: --password-stdin read no password");
                return GatewayLauncher.EXIT_BAD_CONFIG;
            }
            GatewayConfig cfg;
            try {
                cfg = GatewayLauncher.config(config, true);
            } catch (GatewayLauncher.StartFailed e) {
                return e.exitCode();
            }
            try (Database db = Database.open(cfg.database())) {
                new UserStore(db.dataSource(), Clock.systemUTC()).put(name, r, password);
            } catch (Database.DatabaseUnavailableException e) {
                err.println("dlrgate: " + e.getMessage());
                return GatewayLauncher.EXIT_NO_DATABASE;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("user " + name + " (" + r.configName() + ") saved in the store");
            if (!passwordStdin) {
                out.println("password (shown once): " + password);
            }
            out.flush();
            return 0;
        }

        private static String readPassword() throws Exception {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }
}
