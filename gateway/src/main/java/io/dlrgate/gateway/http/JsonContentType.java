package io.dlrgate.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * Request bodies of the API are JSON only: a POST, PUT or PATCH that carries a body of another declared type (or
 * none) is answered 415 before anything reads it. Why: a body sent as {@code text/plain} or a form is what another
 * site's page can send without a CORS preflight, and a parser that accepts it anyway widens what such a page can do.
 * A request without a body (a logout) needs no type.
 */
final class JsonContentType implements Handler<RoutingContext> {

    private static final Set<HttpMethod> BODY_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (BODY_METHODS.contains(req.method()) && carriesBody(req) && !isJson(req.getHeader(HttpHeaders.CONTENT_TYPE))) {
            ApiServer.json(ctx, 415, new JsonObject().put("error", "request bodies must be JSON: send Content-Type: "
                    + "application/json"));
            return;
        }
        ctx.next();
    }

    private static boolean carriesBody(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        return req.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.trim().equals("0"));
    }

    /** {@code application/json} or a {@code +json} type, with any parameters (charset). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
