package io.dlrgate.gateway.events;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * One live event as the SSE endpoint sends it: its type ({@code event:} line) and its JSON ({@code data:} line, the
 * type inside too). Between instances it travels as {@code <type> <json>}, so a relay learns the type without
 * parsing the JSON.
 */
record LiveEvent(String type, String json) {

    /** Types are short lowercase words; anything else on the channel is not ours. */
    private static final Pattern TYPE = Pattern.compile("[a-z]{1,32}");

    static final LiveEvent RESYNC = of("resync", new JsonObject());

    static LiveEvent of(String type, JsonObject body) {
        return new LiveEvent(type, new JsonObject().put("type", type).mergeIn(body).encode());
    }

    String message() {
        return type + ' ' + json;
    }

    /**
     * The event in another instance's message; null when it is not one (a payload someone else sent on the channel):
     * a line break would let it forge SSE lines.
     */
    static LiveEvent parse(String message) {
        int space = message.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String type = message.substring(0, space);
        String json = message.substring(space + 1);
        if (!TYPE.matcher(type).matches() || json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
            return null;
        }
        return new LiveEvent(type, json);
    }
}
