package io.dlrgate.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * {@code GET /ready}: 200 when the gateway can do its work, 503 with the reason while the database is unreachable or
 * the SMPP listener is not bound. {@code /health} stays a liveness check (the process answers): a container
 * orchestrator restarts on liveness but only routes traffic on readiness, and restarting the gateway because its
 * database is away would not bring the database back. Blocking (it asks the pool for a connection): run it as a
 * blocking handler.
 */
public final class Readiness implements Handler<RoutingContext> {

    /** How long the database may take to confirm a connection is alive. */
    private static final int VALID_SECONDS = 2;

    private final DataSource store;
    private final BooleanSupplier smppListening;

    public Readiness(DataSource store, BooleanSupplier smppListening) {
        this.store = store;
        this.smppListening = smppListening;
    }

    @Override
    public void handle(RoutingContext ctx) {
        List<String> reasons = new ArrayList<>();
        String db = databaseProblem();
        if (db != null) {
            reasons.add(db);
        }
        if (!smppListening.getAsBoolean()) {
            reasons.add("the SMPP listener is not bound");
        }
        ApiServer.json(ctx, reasons.isEmpty() ? 200 : 503, reasons.isEmpty()
                ? new JsonObject().put("status", "ready")
                : new JsonObject().put("status", "not ready").put("reason", String.join("; ", reasons)));
    }

    /** Null when the store answers; else a short reason naming the failure's class, never the pool's own text. */
    private String databaseProblem() {
        try (Connection c = store.getConnection()) {
            return c.isValid(VALID_SECONDS) ? null : "the database does not answer";
        } catch (Exception e) {
            return "the database is unreachable (" + e.getClass().getSimpleName() + ")";
        }
    }
}
