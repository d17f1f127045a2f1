package io.dlrgate.reporting.message;

import java.util.Arrays;
import java.util.Optional;

/** Where a message came from: the send-single page, the API, an automation program, or a campaign send. */
public enum Source {
    UI("ui"), API("api"), PROGRAM("program"), CAMPAIGN("campaign");

    private final String dbName;

    Source(String dbName) {
        this.dbName = dbName;
    }

    public String dbName() {
        return dbName;
    }

    public static Optional<Source> fromName(String s) {
        return Arrays.stream(values()).filter(v -> v.dbName.equalsIgnoreCase(s)).findFirst();
    }
}
