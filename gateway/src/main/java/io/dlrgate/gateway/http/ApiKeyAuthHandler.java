package io.dlrgate.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Requires {@code Authorization: Bearer KEY} with the gateway's API key. Keys are compared in constant time
 * so response timing says nothing about how much of a guess was right.
 */
final class ApiKeyAuthHandler implements Handler<RoutingContext> {

    private final byte[] key;

    ApiKeyAuthHandler(String apiKey) {
        this.key = apiKey.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            deny(ctx, "missing credentials: send Authorization: Bearer <api key>");
            return;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, key)) {
            deny(ctx, "wrong API key");
            return;
        }
        ctx.next();
    }

    private static void deny(RoutingContext ctx, String why) {
        ctx.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"dlrgate\"")
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", why).encode());
    }
}
