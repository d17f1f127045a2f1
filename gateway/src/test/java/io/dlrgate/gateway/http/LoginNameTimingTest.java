package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.config.AuthConfig;
import io.dlrgate.config.Role;
import io.dlrgate.reporting.session.LoginSessionStore;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.user.UserStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A wrong password must cost the same work whether the name is configured or unknown: otherwise the time to
 * refuse tells a guesser which names exist. The work is counted, not timed: each refusal must make one store
 * lookup (which, for a name the store lacks, also runs the slow hash against nothing).
 */
class LoginNameTimingTest {

    @Test
    void aConfiguredNameAndAnUnknownNameAreRefusedAfterTheSameStoreLookup() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestDatabase db = TestDatabase.create()) {
            DataSource real = db.database().dataSource();
            AtomicInteger lookups = new AtomicInteger();
            DataSource counted = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getConnection")) {
                            lookups.incrementAndGet();
                        }
                        return method.invoke(real, args);
                    });
            AuthConfig auth = AuthConfig.withUsers(List.of(new AuthConfig.User("ops", "ops-password", Role.ADMIN)),
                    AuthConfig.MetricsAccess.PUBLIC);
            Access access = new Access(vertx, "the-api-key", auth,
                    new LoginSessionStore(real, Clock.systemUTC(), auth), new UserStore(counted, Clock.systemUTC()),
                    Clock.systemUTC(), new SimpleMeterRegistry());
            Router router = Router.router(vertx);
            router.route().handler(access.authenticate());
            router.get("/me").handler(ctx -> ctx.response().end("ok"));
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();

            assertEquals(200, get(http, server.actualPort(), "ops", "ops-password"), "the configured user logs in");
            int before = lookups.get();
            assertEquals(401, get(http, server.actualPort(), "ops", "wrong"));
            int configuredName = lookups.get() - before;
            before = lookups.get();
            assertEquals(401, get(http, server.actualPort(), "nobody", "wrong"));
            int unknownName = lookups.get() - before;

            assertEquals(1, unknownName, "an unknown name is looked up in the store (and hashed against nothing)");
            assertEquals(unknownName, configuredName, "a configured name's wrong password costs the same lookup");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static int get(HttpClient http, int port, String name, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/me"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
