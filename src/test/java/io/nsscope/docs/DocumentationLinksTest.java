package io.nsscope.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation holds together: every relative link of README.md, CONTRIBUTING.md and docs/*.md names a file that
 * exists and, when it has one, an anchor a heading of its target produces on GitHub; every page under docs/ is
 * linked from the README; the README's first commands are the two a newcomer needs.
 */
class DocumentationLinksTest {

    /** Maven runs tests in the project's directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void everyRelativeLinkNamesAFileAndAHeadingThatExist() {
        List<Path> pages = pages(ROOT);
        assertThat(pages).contains(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md"));

        assertThat(brokenLinks(pages))
                .as("broken links (page:line -> target: why)")
                .isEmpty();
    }

    @Test
    void everyPageUnderDocsIsLinkedFromTheReadme() {
        Path readme = ROOT.resolve("README.md");
        List<Path> linked = Markdown.links(read(readme)).stream()
                .map(Markdown.Link::target)
                .filter(DocumentationLinksTest::isRelative)
                .map(target ->
                        readme.getParent().resolve(decode(pathOf(target))).normalize())
                .toList();

        assertThat(pages(ROOT))
                .filteredOn(page -> page.getParent().equals(ROOT.resolve("docs")))
                .isNotEmpty()
                .allSatisfy(page -> assertThat(linked).as("links of README.md").contains(page));
    }

    @Test
    void theReadmesFirstCommandsBuildAndTestTheService() {
        List<String> blocks = Markdown.codeBlocks(read(ROOT.resolve("README.md")));

        assertThat(blocks).isNotEmpty();
        assertThat(blocks.get(0)).contains("./mvnw spring-boot:run", "./mvnw verify");
    }

    @Test
    void aMissingFileAndAMissingHeadingAreBoth(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("README.md"), """
                # Title
                [fine](docs/a.md#a-heading) [fine too](#title) [gone](docs/b.md) [no such heading](docs/a.md#nope)
                `[in a code span](docs/c.md)`
                ```
                [in a code block](docs/d.md)
                ```
                """);
        Files.createDirectory(dir.resolve("docs"));
        Files.writeString(
                dir.resolve("docs/a.md"), "## A heading\n[back](../README.md#title) [web](https://x.example/y)\n");

        assertThat(brokenLinks(pages(dir)))
                .containsExactly(
                        "README.md:2 -> docs/b.md: no such file",
                        "README.md:2 -> docs/a.md#nope: no heading makes this anchor");
    }

    @Test
    void anchorsFollowGitHubsSlugs() {
        assertThat(Markdown.slug("`GET /` and `GET /problems/{type}`")).isEqualTo("get--and-get-problemstype");
        assertThat(Markdown.slug("`GET /namespaces/{ns}`")).isEqualTo("get-namespacesns");
        assertThat(Markdown.slug("Sockets need `CAP_NET_ADMIN`")).isEqualTo("sockets-need-cap_net_admin");
        assertThat(Markdown.slug("What a sandbox can — and cannot — reach"))
                .isEqualTo("what-a-sandbox-can--and-cannot--reach");
        assertThat(Markdown.slug("See [the page](ui.md)")).isEqualTo("see-the-page");
        assertThat(Markdown.anchors("# Tests\n## Tests\n```\n# not a heading\n```\n### Tests #\n"))
                .containsExactly("tests", "tests-1", "tests-2");
    }

    /** Every link of these pages that leads nowhere, as {@code page:line -> target: why}, paths from the root. */
    private static List<String> brokenLinks(List<Path> pages) {
        Path root = pages.get(0).getParent();
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            String from = root.relativize(page).toString();
            for (Markdown.Link link : Markdown.links(read(page))) {
                if (!isRelative(link.target())) {
                    continue;
                }
                String path = decode(pathOf(link.target()));
                Path target =
                        path.isEmpty() ? page : page.getParent().resolve(path).normalize();
                String where = from + ":" + link.line() + " -> " + link.target() + ": ";
                if (!Files.exists(target)) {
                    broken.add(where + "no such file");
                } else if (link.target().contains("#")
                        && target.toString().endsWith(".md")
                        && !Markdown.anchors(read(target)).contains(anchorOf(link.target()))) {
                    broken.add(where + "no heading makes this anchor");
                }
            }
        }
        return broken;
    }

    /** README.md first, then CONTRIBUTING.md, then docs/*.md by name. */
    private static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>();
        for (String name : List.of("README.md", "CONTRIBUTING.md")) {
            if (Files.exists(root.resolve(name))) {
                pages.add(root.resolve(name));
            }
        }
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** A link to a file of this repository: no scheme ({@code https:}, {@code mailto:}), not site-absolute. */
    private static boolean isRelative(String target) {
        return !target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !target.startsWith("/");
    }

    private static String pathOf(String target) {
        int hash = target.indexOf('#');
        return hash < 0 ? target : target.substring(0, hash);
    }

    private static String anchorOf(String target) {
        return decode(target.substring(target.indexOf('#') + 1));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String read(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
