package io.dlrgate.dist.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link in README.md, CONTRIBUTING.md and docs/ names a file (and heading) that exists. */
class DocsLinksTest {

    /** The repository root: the parent of this module's directory, where Maven runs the tests. */
    static Path repositoryRoot() {
        Path moduleDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = moduleDir.getParent();
        assertTrue(Files.isRegularFile(root.resolve("README.md")), "no README.md in " + root);
        return root;
    }

    static List<Path> documentation(Path root) throws IOException {
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            return Stream.concat(Stream.of(root.resolve("README.md"), root.resolve("CONTRIBUTING.md")),
                            docs.filter(p -> p.toString().endsWith(".md")).sorted())
                    .filter(Files::isRegularFile)
                    .collect(Collectors.toList());
        }
    }

    @Test
    void everyRelativeLinkInTheDocumentationResolves() throws IOException {
        Path root = repositoryRoot();
        List<Path> files = documentation(root);
        assertTrue(files.size() > 10, "found only " + files);
        List<String> problems = new MarkdownLinks(root).problems(files);
        assertEquals(List.of(), problems, "broken links:\n" + String.join("\n", problems));
    }

    @Test
    void aMissingFileOrHeadingIsReportedWithItsLine(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/target.md"), "# The `smpp` listener: binds\n\n```\n# not a heading\n```\n");
        Path readme = Files.writeString(root.resolve("README.md"), String.join("\n",
                "[fine](docs/target.md) [anchor](docs/target.md#the-smpp-listener-binds) [web](https://example.org/x)",
                "`[in code](nowhere.md)`",
                "[gone](docs/missing.md)",
                "[no heading](docs/target.md#not-a-heading)",
                "[escape](../outside.md)",
                "```",
                "[in a fence](nowhere.md)",
                "```",
                ""));
        assertEquals(List.of(
                        "README.md:3: docs/missing.md: no such file",
                        "README.md:4: docs/target.md#not-a-heading: no heading with this anchor",
                        "README.md:5: ../outside.md: points outside the repository"),
                new MarkdownLinks(root).problems(List.of(readme)));
    }
}
