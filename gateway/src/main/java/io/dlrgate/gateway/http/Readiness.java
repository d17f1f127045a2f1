package io.dlrgate.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /ready}: 200 when the gateway can do its work, 503 with the reason while the database is unreachable or
 * the SMPP listener is not bound. {@code /health} stays a liveness check (the process answers): a container
 * orchestrator restarts on liveness but only routes traffic on readiness, and restarting the gateway because its
 * database is away would not bring the database back. Blocking (the store's check asks the pool for a
 * connection): run it as a blocking handler.
 */
public final class Readiness implements Handler<RoutingContext> {

    private final Supplier<String> storeProblem;
    private final BooleanSupplier smppListening;

    /** @param storeProblem null while the store answers, else why not (the store's own check) */
    public Readiness(Supplier<String> storeProblem, BooleanSupplier smppListening) {
        this.storeProblem = storeProblem;
        this.smppListening = smppListening;
    }

    @Override
    public void handle(RoutingContext ctx) {
        List<String> reasons = new ArrayList<>();
        String db = storeProblem.get();
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
}
