package io.dlrgate.gateway.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Typed, validated access to a request's JSON body and path parameters; every problem names its field. */
final class RequestReader {

    private final JsonObject body;

    private RequestReader(JsonObject body) {
        this.body = body;
    }

    static RequestReader of(RoutingContext ctx) {
        String raw = ctx.body().asString();
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest(null, "the request needs a JSON object body");
        }
        Object parsed;
        try {
            // ONE parse, with duplicate keys refused: {"to":"+44...","to":"+33..."} is ambiguous, and the decoder
            // alone keeps the last silently, which may send a message to the other number.
            com.fasterxml.jackson.core.JsonParser parser = io.vertx.core.json.jackson.JacksonCodec.createParser(raw);
            parser.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            parsed = io.vertx.core.json.jackson.JacksonCodec.fromParser(parser, Object.class);
        } catch (DecodeException e) {
            String key = duplicateKey(e.getCause());
            if (key != null) {
                throw ApiException.badRequest(key, "is given twice");
            }
            throw ApiException.badRequest(null, "the body is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof JsonObject o)) {
            throw ApiException.badRequest(null, "the body must be a JSON object");
        }
        return new RequestReader(o);
    }

    /** The key Jackson's duplicate detection names ("Duplicate field 'to'"), or null for any other failure. */
    private static String duplicateKey(Throwable cause) {
        String m = cause == null ? null : cause.getMessage();
        return m != null && m.startsWith("Duplicate field '") ? m.substring("Duplicate field '".length()).split("'", 2)[0]
                : null;
    }

    String requiredString(String field) {
        String s = optionalString(field);
        if (s == null || s.isBlank()) {
            throw ApiException.badRequest(field, "is required");
        }
        return s;
    }

    String optionalString(String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw ApiException.badRequest(field, "must be a string");
        }
        return storable(field, s);
    }

    /**
     * What the store can hold, refused here with the field's name rather than failing in the store (a 503 with
     * the database's words) or being changed on the way (the driver turns an unpaired surrogate into '?').
     */
    private static String storable(String field, String s) {
        int max = MAX_LENGTH.getOrDefault(field, DEFAULT_MAX_LENGTH);
        if (s.length() > max) {
            throw ApiException.badRequest(field, "is " + s.length() + " characters; at most " + max + " are accepted");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                throw ApiException.badRequest(field, "must not contain the NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.badRequest(field, "contains an unpaired UTF-16 surrogate at character " + i);
            }
        }
        return s;
    }

    /**
     * The longest value of a string field. Short for names (they are indexed, and an index entry cannot exceed
     * ~2.7 kB), generous for content (a single message is capped at 1,600 characters when it is sent; a campaign's
     * content may be longer before its links are shortened).
     */
    private static final java.util.Map<String, Integer> MAX_LENGTH = java.util.Map.of(
            "name", 200, "createdBy", 100, "modifiedBy", 100, "sentBy", 100, "reason", 500, "content", 10_000);
    private static final int DEFAULT_MAX_LENGTH = 1_000;
    private static final java.time.Instant EARLIEST = java.time.Instant.parse("0001-01-01T00:00:00Z");
    private static final java.time.Instant LATEST = java.time.Instant.parse("+10000-01-01T00:00:00Z");

    Boolean optionalBoolean(String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Boolean b)) {
            throw ApiException.badRequest(field, "must be true or false");
        }
        return b;
    }

    /** An ISO-8601 duration such as {@code PT10M} or {@code P2D}. */
    Duration optionalDuration(String field) {
        String s = optionalString(field);
        if (s == null) {
            return null;
        }
        try {
            Duration d = Duration.parse(s);
            if (d.isNegative() || d.isZero()) {
                throw ApiException.badRequest(field, "must be a positive duration");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, "must be an ISO-8601 duration such as PT10M or P2D, got '" + s + "'");
        }
    }

    List<String> requiredStringList(String field) {
        Object v = body.getValue(field);
        if (v == null) {
            throw ApiException.badRequest(field, "is required");
        }
        if (!(v instanceof JsonArray a)) {
            throw ApiException.badRequest(field, "must be an array of phone numbers");
        }
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            Object item = a.getValue(i);
            if (!(item instanceof String s)) {
                throw ApiException.badRequest(field + "[" + i + "]", "must be a string");
            }
            out.add(storable(field + "[" + i + "]", s));
        }
        return out;
    }

    /** Whether the body has the field (with any value, null included). */
    boolean has(String field) {
        return body.containsKey(field);
    }

    /** A positive integer id, or null when absent. */
    Long optionalId(String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.longValue() <= 0) {
            throw ApiException.badRequest(field, "must be a positive integer");
        }
        return n.longValue();
    }

    /** An ISO-8601 instant such as {@code 2026-12-07T10:00:00Z}, or null when absent. */
    java.time.Instant optionalInstant(String field) {
        String s = optionalString(field);
        if (s == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, "must be an ISO-8601 time such as 2026-12-07T10:00:00Z, got '"
                    + clip(s) + "'");
        }
    }

    /** A list of strings, or null when absent. */
    List<String> optionalStringList(String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonArray a)) {
            throw ApiException.badRequest(field, "must be an array of strings");
        }
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            if (!(a.getValue(i) instanceof String s)) {
                throw ApiException.badRequest(field + "[" + i + "]", "must be a string");
            }
            out.add(storable(field + "[" + i + "]", s));
        }
        return out;
    }

    static long pathId(RoutingContext ctx, String param) {
        String s = ctx.pathParam(param);
        try {
            long id = Long.parseLong(s);
            if (id <= 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(param, "must be a positive integer, got '" + s + "'");
        }
    }

    static int queryInt(RoutingContext ctx, String name, int dflt, int min, int max) {
        String s = ctx.request().getParam(name);
        if (s == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, "must be an integer from " + min + " to " + max + ", got '" + s + "'");
        }
    }

    static long queryLong(RoutingContext ctx, String name, long dflt) {
        String s = ctx.request().getParam(name);
        if (s == null) {
            return dflt;
        }
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, "must be a non-negative integer, got '" + s + "'");
        }
    }

    /** An optional ISO-8601 duration ({@code PT30S}, {@code PT5M}, {@code P1D}); null when absent. */
    static Duration queryDuration(RoutingContext ctx, String name) {
        String s = ctx.request().getParam(name);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            Duration d = Duration.parse(s);
            if (d.isNegative() || d.isZero()) {
                throw ApiException.badRequest(name, "must be a positive duration, got '" + clip(s) + "'");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name, "must be an ISO-8601 duration such as PT30S, PT5M or P1D, got '"
                    + clip(s) + "'");
        }
    }

    /** An optional query parameter that must be one of {@code allowed}; null when absent. */
    static String queryChoice(RoutingContext ctx, String name, java.util.Collection<String> allowed) {
        String s = ctx.request().getParam(name);
        if (s == null) {
            return null;
        }
        if (!allowed.contains(s)) {
            throw ApiException.badRequest(name, "must be one of " + String.join(", ", allowed) + "; got '"
                    + clip(s) + "'");
        }
        return s;
    }

    /** A free-text search (at most {@code max} characters, no control characters); null when absent or empty. */
    static String queryText(RoutingContext ctx, String name, int max) {
        String s = ctx.request().getParam(name);
        if (s == null || s.isBlank()) {
            return null;
        }
        if (s.length() > max) {
            throw ApiException.badRequest(name, "must be at most " + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw ApiException.badRequest(name, "must not contain control characters");
            }
        }
        return s.strip();
    }

    /** Part of a phone number: digits, optionally a leading +, spaces ignored; null when absent. */
    static String queryNumberPart(RoutingContext ctx, String name) {
        String s = ctx.request().getParam(name);
        if (s == null || s.isBlank()) {
            return null;
        }
        String compact = s.replace(" ", "");
        if (!compact.matches("\\+?[0-9]{1,16}")) {
            throw ApiException.badRequest(name, "must be digits of a phone number (optionally starting with +), got '"
                    + clip(s) + "'");
        }
        return compact;
    }

    /** {@link #queryNumberPart} as the start of an E.164 number: the digits typed, with the {@code +} they may lack. */
    static String queryE164Part(RoutingContext ctx, String name) {
        String part = queryNumberPart(ctx, name);
        return part == null || part.startsWith("+") ? part : "+" + part;
    }

    /**
     * An instant: ISO-8601 ({@code 2024-05-01T10:00:00Z}) or a date ({@code 2024-05-01}, UTC). A date in an
     * end-of-range parameter means the end of that day (so {@code to=2024-05-01} includes the whole day).
     */
    static java.time.Instant queryInstant(RoutingContext ctx, String name, boolean endOfDay) {
        String s = ctx.request().getParam(name);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            java.time.Instant t;
            if (s.length() == 10) {
                java.time.LocalDate d = java.time.LocalDate.parse(s);
                t = (endOfDay ? d.plusDays(1) : d).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } else {
                t = java.time.OffsetDateTime.parse(s).toInstant();
            }
            // Years 1 to 9999: Java parses far more (+300000-01-01) than the store can compare against.
            if (t.isBefore(EARLIEST) || !t.isBefore(LATEST)) {
                throw ApiException.badRequest(name, "must be between the years 1 and 9999, got '" + clip(s) + "'");
            }
            return t;
        } catch (java.time.DateTimeException e) {
            throw ApiException.badRequest(name, "must be a date (2024-05-01) or an ISO-8601 time "
                    + "(2024-05-01T10:00:00Z), got '" + clip(s) + "'");
        }
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
