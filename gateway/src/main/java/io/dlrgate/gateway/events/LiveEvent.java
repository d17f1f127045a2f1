package io.dlrgate.gateway.events;

import io.dlrgate.config.Tab;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One live event as the SSE endpoint sends it: its type ({@code event:} line) and its JSON ({@code data:} line, the
 * type inside too). Between instances it travels as {@code <type> <json>}.
 */
record LiveEvent(String type, String json) {

    static final String TABS = "tabs";
    static final String QUEUED = "queued";
    static final String RESYNC_TYPE = "resync";
    static final LiveEvent RESYNC = of(RESYNC_TYPE, new JsonObject());
    /**
     * The largest count an event from the channel may carry: far above what one instance merges in one pass, far
     * below what would make a client's arithmetic go wrong.
     */
    static final long MAX_COUNT = 1_000_000_000L;

    static LiveEvent of(String type, JsonObject body) {
        return new LiveEvent(type, new JsonObject().put("type", type).mergeIn(body).encode());
    }

    String message() {
        return type + ' ' + json;
    }

    /**
     * The event in another instance's message, re-encoded from its checked fields; null when it is not one the
     * gateway sends. Any role that may connect to the database may {@code NOTIFY} on the channel, and what passes
     * here goes to every browser on the events stream: only the three types the gateway sends, with their fields
     * of the right kind and in range, get through, and nothing of the sender's text but tab slugs and numbers.
     */
    static LiveEvent parse(String message) {
        int space = message.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String type = message.substring(0, space);
        JsonObject body;
        try {
            body = new JsonObject(message.substring(space + 1));
            if (!type.equals(body.getValue("type"))) {
                return null;
            }
            return switch (type) {
                case RESYNC_TYPE -> RESYNC;
                case QUEUED -> queued(body);
                case TABS -> tabs(body);
                default -> null;
            };
        } catch (RuntimeException e) { // not JSON, not an object ("null" too), or a field not as the gateway sends it
            return null;
        }
    }

    private static LiveEvent queued(JsonObject body) {
        return of(QUEUED, new JsonObject().put("campaignId", campaignId(body)).put("count", count(body)));
    }

    private static LiveEvent tabs(JsonObject body) {
        if (!(body.getValue("changes") instanceof JsonArray changes) || changes.isEmpty()) {
            throw new IllegalArgumentException("changes");
        }
        JsonArray checked = new JsonArray();
        for (Object o : changes) {
            if (!(o instanceof JsonObject change)) {
                throw new IllegalArgumentException("change");
            }
            checked.add(new JsonObject().put("campaignId", campaignId(change)).put("from", tab(change, "from"))
                    .put("to", tab(change, "to")).put("count", count(change)));
        }
        return of(TABS, new JsonObject().put("changes", checked));
    }

    /** A campaign's id, or null for single sends. */
    private static Long campaignId(JsonObject o) {
        Object v = o.getValue("campaignId");
        if (v == null) {
            return null;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw new IllegalArgumentException("campaignId");
    }

    private static long count(JsonObject o) {
        Object v = o.getValue("count");
        if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0
                && ((Number) v).longValue() <= MAX_COUNT) {
            return ((Number) v).longValue();
        }
        throw new IllegalArgumentException("count");
    }

    /** A tab's slug exactly as the gateway writes it (not {@link Tab#fromSlug}'s lenient reading). */
    private static String tab(JsonObject o, String field) {
        Object v = o.getValue(field);
        for (Tab t : Tab.values()) {
            if (t.slug().equals(v)) {
                return t.slug();
            }
        }
        throw new IllegalArgumentException(field);
    }
}
