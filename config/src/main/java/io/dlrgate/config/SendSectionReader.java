package io.dlrgate.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads {@code send}: how recipients of a send are read, and the sender when a send names none. */
final class SendSectionReader {
    static final List<String> KEYS = List.of("default_country", "default_sender");

    private static final Pattern REGION = Pattern.compile("[A-Z]{2}");

    private final ReadContext ctx;

    SendSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    SendConfig read(ConfigSection s) {
        String country = s.string("default_country", null, false);
        if (country != null) {
            country = country.trim().toUpperCase(Locale.ROOT);
            if (!REGION.matcher(country).matches()) {
                ctx.problem(s.keyPath("default_country"), s.lineOf("default_country"),
                        "must be a two-letter ISO 3166 country code such as GB, got \"" + country + "\"");
                country = null;
            }
        }
        SenderId sender = null;
        String senderText = s.string("default_sender", null, false);
        if (senderText != null) {
            try {
                sender = SenderId.parse(senderText);
            } catch (IllegalArgumentException e) {
                ctx.problem(s.keyPath("default_sender"), s.lineOf("default_sender"), "not a sender: " + e.getMessage());
            }
        }
        s.checkUnknownKeys();
        return new SendConfig(country, sender);
    }
}
