package io.dlrgate.dist.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the relative links of Markdown files: the file or folder a link names exists inside the repository, and
 * a {@code #fragment} names a heading of the Markdown file it points to (GitHub's anchors). Links with a scheme
 * (http, mailto) are not followed: only what the repository itself can break is checked.
 */
final class MarkdownLinks {

    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern LINK_DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:|^//");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+\\1");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");

    private final Path root;
    private final Map<Path, Set<String>> anchorsByFile = new HashMap<>();

    MarkdownLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Every broken link in the files, as {@code file:line: link: what is wrong}, in file order. */
    List<String> problems(List<Path> markdownFiles) {
        List<String> problems = new ArrayList<>();
        for (Path file : markdownFiles) {
            List<String> lines = outsideCode(file);
            for (int i = 0; i < lines.size(); i++) {
                for (String target : targets(lines.get(i))) {
                    String problem = check(file, target);
                    if (problem != null) {
                        problems.add(root.relativize(file.toAbsolutePath().normalize()) + ":" + (i + 1) + ": "
                                + target + ": " + problem);
                    }
                }
            }
        }
        return problems;
    }

    private String check(Path file, String target) {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? file.toAbsolutePath().normalize()
                : file.toAbsolutePath().getParent().resolve(decode(path)).normalize();
        if (!resolved.startsWith(root)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (fragment == null || fragment.isEmpty()) {
            return null;
        }
        if (!resolved.toString().endsWith(".md")) {
            return "an anchor on a file that is not Markdown";
        }
        return anchors(resolved).contains(decode(fragment)) ? null : "no heading with this anchor";
    }

    private Set<String> anchors(Path markdownFile) {
        return anchorsByFile.computeIfAbsent(markdownFile, f -> {
            Set<String> anchors = new LinkedHashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            for (String line : outsideCode(f)) {
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    String slug = slug(heading.group(1));
                    int count = seen.merge(slug, 1, Integer::sum);
                    anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
                }
            }
            return anchors;
        });
    }

    /** GitHub's heading anchor: link text kept, lower case, punctuation dropped, each space a hyphen. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        StringBuilder slug = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }

    private static List<String> targets(String line) {
        List<String> targets = new ArrayList<>();
        String text = CODE_SPAN.matcher(line).replaceAll("");
        Matcher definition = LINK_DEFINITION.matcher(text);
        if (definition.matches()) {
            targets.add(definition.group(1));
        }
        Matcher link = INLINE_LINK.matcher(text);
        while (link.find()) {
            targets.add(link.group(1));
        }
        return targets;
    }

    /** The file's lines with fenced code blocks blanked (kept as empty lines so line numbers stay right). */
    private static List<String> outsideCode(Path file) {
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String openFence = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            boolean isFence = fence.find();
            if (openFence == null && isFence) {
                openFence = fence.group(1);
                lines.set(i, "");
            } else if (openFence != null) {
                if (isFence && fence.group(1).equals(openFence)) {
                    openFence = null;
                }
                lines.set(i, "");
            }
        }
        return lines;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
