package io.dlrgate.gateway.http;

import io.dlrgate.config.BouncesConfig;
import io.dlrgate.config.BouncesConfig.SuppressionMode;
import io.dlrgate.reporting.suppression.SuppressionSettings;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code GET/PUT /api/v1/settings}: the account's hard-bounce suppression settings.
 * <pre>
 * {"suppressHardBounces": true, "suppressionThreshold": 3, "suppressionMode": "consecutive",
 *  "countInvalidNumbers": false, "rule": "A number is suppressed after 3 consecutive permanent (hard) bounces ..."}
 * </pre>
 * {@code rule} (read only) says the settings in force in one sentence, transient failures included.
 * PUT takes any of the four (at least one) and answers with all four as now in force; a value not stored yet
 * is the {@code bounces} config's default. Validation: the toggles are true or false, the threshold an integer
 * 1..100, the mode {@code consecutive} or {@code total}; anything else, or an unknown field, is a 400 naming it.
 */
final class SuppressionSettingsApi {

    static final String ENABLED = "suppressHardBounces";
    static final String THRESHOLD = "suppressionThreshold";
    static final String MODE = "suppressionMode";
    static final String COUNT_INVALID = "countInvalidNumbers";
    private static final Set<String> FIELDS = Set.of(ENABLED, THRESHOLD, MODE, COUNT_INVALID);

    private SuppressionSettingsApi() {
    }

    static void get(RoutingContext ctx, SuppressionSettings settings) throws Exception {
        ApiServer.json(ctx, 200, view(settings.get()));
    }

    static void put(RoutingContext ctx, SuppressionSettings settings) throws Exception {
        RequestReader in = RequestReader.of(ctx);
        JsonObject body = new JsonObject(ctx.body().asString());
        for (String f : body.fieldNames()) {
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest(f, "unknown setting; the settings are " + ENABLED + ", " + THRESHOLD
                        + ", " + MODE + ", " + COUNT_INVALID);
            }
        }
        Boolean enabled = in.optionalBoolean(ENABLED);
        Boolean countInvalid = in.optionalBoolean(COUNT_INVALID);
        Integer threshold = null;
        Object t = body.getValue(THRESHOLD);
        if (t != null) {
            if (!(t instanceof Integer || t instanceof Long) || ((Number) t).longValue() < BouncesConfig.MIN_THRESHOLD
                    || ((Number) t).longValue() > BouncesConfig.MAX_THRESHOLD) {
                throw ApiException.badRequest(THRESHOLD, "must be an integer between " + BouncesConfig.MIN_THRESHOLD
                        + " and " + BouncesConfig.MAX_THRESHOLD + ", got " + t);
            }
            threshold = ((Number) t).intValue();
        }
        String modeName = in.optionalString(MODE);
        SuppressionMode mode = null;
        if (modeName != null) {
            mode = SuppressionMode.fromName(modeName).orElseThrow(() -> ApiException.badRequest(MODE,
                    "must be consecutive or total, got '" + modeName + "'"));
        }
        if (enabled == null && threshold == null && mode == null && countInvalid == null) {
            throw ApiException.badRequest(null, "give at least one of " + ENABLED + " (true or false), " + THRESHOLD
                    + " (1 to 100), " + MODE + " (consecutive or total), " + COUNT_INVALID + " (true or false)");
        }
        ApiServer.json(ctx, 200, view(settings.update(enabled, threshold, mode, countInvalid)));
    }

    static JsonObject view(SuppressionSettings.Values v) {
        return new JsonObject().put(ENABLED, v.enabled()).put(THRESHOLD, v.threshold())
                .put(MODE, v.mode().configName()).put(COUNT_INVALID, v.countInvalidNumbers()).put("rule", v.rule());
    }
}
