package io.dlrgate.reporting.report;

import java.util.Arrays;
import java.util.Optional;

/**
 * How the campaign list can be sorted. Each key maps to a fixed SQL expression: user input picks a constant,
 * it never becomes SQL text.
 */
public enum CampaignSort {
    NAME("name", "lower(c.name)", false),
    LAST_MODIFIED_BY("lastModifiedBy", "lower(c.last_modified_by)", false),
    LAST_SENT("lastSent", "c.last_sent_at", false),
    SENT("sent", "c.sent", true),
    DELIVERED("delivered", "c.delivered", true),
    /** Delivered / sent; campaigns never sent have none and come last either way. */
    DELIVERY_RATE("deliveryRate", "c.delivered::float8 / nullif(c.sent, 0)", true),
    TOTAL_CLICKS("totalClicks", "c.total_clicks", true),
    UNIQUE_CLICKS("uniqueClicks", "c.unique_clicks", true);

    private final String key;
    final String column;
    /** Sorting on a figure needs the figures of every campaign; sorting on a column needs only the page's. */
    final boolean byFigure;

    CampaignSort(String key, String column, boolean byFigure) {
        this.key = key;
        this.column = column;
        this.byFigure = byFigure;
    }

    public String key() {
        return key;
    }

    public static Optional<CampaignSort> fromKey(String k) {
        return Arrays.stream(values()).filter(s -> s.key.equals(k)).findFirst();
    }

    public static String keys() {
        return String.join(", ", Arrays.stream(values()).map(CampaignSort::key).toList());
    }
}
