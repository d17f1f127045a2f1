package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a rule's {@code match}: which messages the rule is for (numbers, prefixes, content, campaign, carrier).
 * Campaigns and carriers must be ones the file defines; {@code numbers_file} is relative to the file's directory.
 */
final class MatchReader {
    private final ScenarioNodes in;
    private final Path baseDir;

    MatchReader(ScenarioNodes in, Path baseDir) {
        this.in = in;
        this.baseDir = baseDir;
    }

    Scenario.Match match(JsonNode n, String path, Set<String> campaigns, Set<String> carriers) {
        if (!n.isObject()) {
            in.problem(path, "must be a mapping (number, numbers, numbers_file, number_prefix, number_regex, "
                    + "content_contains, content_regex, campaign, carrier)");
            return Scenario.Match.ANY;
        }
        in.keys(n, path, "number", "numbers", "numbers_file", "number_prefix", "number_regex", "content_contains",
                "content_regex", "campaign", "carrier");
        List<String> numbers = numbers(n, path);
        List<String> prefixes = new ArrayList<>();
        if (n.has("number_prefix")) {
            JsonNode p = n.get("number_prefix");
            for (String v : p.isArray() ? in.stringList(p, path + ".number_prefix") : List.of(p.asText())) {
                prefixes.add(in.number(v, path + ".number_prefix"));
            }
        }
        Pattern numberRegex = n.has("number_regex") ? in.regex(n.get("number_regex"), path + ".number_regex") : null;
        String contains = n.has("content_contains") ? in.string(n, path, "content_contains", true) : null;
        Pattern contentRegex = n.has("content_regex") ? in.regex(n.get("content_regex"), path + ".content_regex") : null;
        String campaign = null;
        if (n.has("campaign")) {
            campaign = in.string(n, path, "campaign", true);
            if (campaign != null && !campaigns.contains(campaign)) {
                in.problem(path + ".campaign", "'" + campaign + "' is not a campaign of this file's sends "
                        + (campaigns.isEmpty() ? "(there are none)" : campaigns.toString()));
            }
        }
        String carrier = null;
        if (n.has("carrier")) {
            carrier = in.string(n, path, "carrier", true);
            if (carrier != null && !carriers.contains(carrier)) {
                in.problem(path + ".carrier", "'" + carrier + "' is not one of the carriers " + carriers);
            }
        }
        return new Scenario.Match(List.copyOf(numbers), List.copyOf(prefixes), numberRegex, contains, contentRegex,
                campaign, carrier);
    }

    /** {@code number}, {@code numbers} and {@code numbers_file}, together. */
    private List<String> numbers(JsonNode n, String path) {
        List<String> numbers = new ArrayList<>();
        if (n.has("number")) {
            String v = in.string(n, path, "number", true);
            if (v != null) {
                numbers.add(in.number(v, path + ".number"));
            }
        }
        if (n.has("numbers")) {
            for (String v : in.stringList(n.get("numbers"), path + ".numbers")) {
                numbers.add(in.number(v, path + ".numbers"));
            }
        }
        if (n.has("numbers_file")) {
            String f = in.string(n, path, "numbers_file", true);
            if (f != null) {
                numbersFile(f, path + ".numbers_file", numbers);
            }
        }
        return numbers;
    }

    /** One number a line; blank lines and lines starting with # are skipped. */
    private void numbersFile(String name, String path, List<String> numbers) {
        Path file = baseDir == null ? Path.of(name) : baseDir.resolve(name);
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    numbers.add(in.number(t, path));
                }
            }
        } catch (IOException e) {
            in.problem(path, "cannot read '" + file + "': " + e.getMessage());
        }
    }
}
