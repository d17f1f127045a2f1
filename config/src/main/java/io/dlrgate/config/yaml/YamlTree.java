package io.dlrgate.config.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree that keeps, for every node, the line it came from and, for every scalar,
 * the text as written ({@code 0x58}, {@code 0123}, {@code yes}), so that validation can name lines and never
 * loses what the user typed to YAML's type guessing.
 */
public final class YamlTree {

    private YamlTree() {
    }

    public sealed interface Node permits MapNode, ListNode, Scalar {
        int line();

        /** What kind of node this is, for "expected X, got Y" messages. */
        String describe();
    }

    /** A key of a mapping, with the line it is on. */
    public record Entry(String key, int keyLine, Node value) {
    }

    public record MapNode(Map<String, Entry> entries, int line) implements Node {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    public record ListNode(List<Node> items, int line) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar: {@code token} is YAML's guess at its type, {@code text} what was written. */
    public record Scalar(String text, JsonToken token, int line) implements Node {
        public boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        @Override
        public String describe() {
            switch (token) {
                case VALUE_NULL: return "nothing (null)";
                case VALUE_TRUE:
                case VALUE_FALSE: return "boolean " + text;
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT: return "number " + text;
                default: return "string \"" + text + "\"";
            }
        }
    }

    /** Malformed YAML: the parser's own words and where it stopped. */
    public static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final int column;

        SyntaxError(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    /** Sink for duplicate keys found while parsing (they are not syntax errors to the YAML parser). */
    public interface DuplicateKeys {
        void duplicate(String path, String key, int line, int firstLine);
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** Parses the first document; returns null when the text holds no document (empty, only comments). */
    public static Node parse(String yaml, DuplicateKeys duplicates) throws SyntaxError {
        try (JsonParser p = FACTORY.createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            Node root = read(p, t, "", duplicates);
            if (p.nextToken() != null) {
                throw new SyntaxError("more than one YAML document (---): put the whole configuration in one",
                        p.currentTokenLocation().getLineNr(), 0);
            }
            return root;
        } catch (JsonProcessingException e) {
            // Prefer SnakeYAML's own mark: it points at the offending character, Jackson's at the last token.
            if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                Mark mark = m.getProblemMark();
                throw new SyntaxError(clean(e.getOriginalMessage()), mark.getLine() + 1, mark.getColumn() + 1);
            }
            JsonLocation loc = e.getLocation();
            throw new SyntaxError(clean(e.getOriginalMessage()), loc == null ? 0 : loc.getLineNr(),
                    loc == null ? 0 : loc.getColumnNr());
        } catch (IOException e) {
            throw new SyntaxError(String.valueOf(e.getMessage()), 0, 0);
        }
    }

    private static Node read(JsonParser p, JsonToken t, String path, DuplicateKeys duplicates) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        switch (t) {
            case START_OBJECT: {
                Map<String, Entry> entries = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    Node value = read(p, p.nextToken(), childPath, duplicates);
                    Entry previous = entries.get(key);
                    if (previous != null) {
                        duplicates.duplicate(childPath, key, keyLine, previous.keyLine());
                    } else {
                        entries.put(key, new Entry(key, keyLine, value));
                    }
                }
                return new MapNode(entries, line);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                JsonToken i;
                while ((i = p.nextToken()) != JsonToken.END_ARRAY && i != null) {
                    items.add(read(p, i, path + "[" + items.size() + "]", duplicates));
                }
                return new ListNode(items, line);
            }
            default:
                if (t == null) {
                    throw new IOException("unexpected end of document");
                }
                if (p instanceof YAMLParser yp && yp.isCurrentAlias()) {
                    // Jackson hands an alias over as its name; reading "*w" as the text "w" would mislead.
                    JsonLocation loc = p.currentTokenLocation();
                    throw new JsonParseException(p, "aliases (*" + p.getText()
                            + ") are not supported: write the value out", loc);
                }
                return new Scalar(p.getText(), t, line);
        }
    }

    /** Keeps the parser's sentences, drops its "in 'reader', line ..." pointers and the echoed source lines. */
    private static String clean(String message) {
        if (message == null) {
            return "cannot parse";
        }
        List<String> kept = new ArrayList<>();
        String[] lines = message.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith(" in '")) {
                // skip the echoed source line and the caret under it (both indented by four spaces)
                while (i + 1 < lines.length && lines[i + 1].startsWith("    ")) {
                    i++;
                }
                continue;
            }
            if (!l.isBlank()) {
                kept.add(l.trim());
            }
        }
        return kept.isEmpty() ? message.trim() : String.join("; ", kept);
    }
}
