package io.nsscope.docs;

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
 * What the link check needs of a Markdown page, as GitHub renders it: the anchors its headings produce, its links,
 * and its fenced code blocks. Pure functions of the text; only what this repository's pages use (ATX headings,
 * inline and reference links, fenced code), not all of CommonMark.
 */
final class Markdown {

    /** A link as written: its target (path, anchor or both) and the line it is on. */
    record Link(String target, int line) {}

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}(?:\\s+(.*?))?(?:\\s+#+)?\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern INLINE_LINK =
            Pattern.compile("!?\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+]:\\s*<?([^\\s>]+)>?");
    private static final Pattern HTML_ID = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern MARKUP_LINK = Pattern.compile("!?\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern HTML_TAG = Pattern.compile("<[^>]+>");

    private Markdown() {}

    /**
     * The anchors a page's headings produce on GitHub: the heading's text, lower-cased, with every character but
     * letters, marks, digits, connector punctuation ({@code _}), spaces and hyphens removed and each space made a
     * hyphen; a repeated anchor gets {@code -1}, {@code -2}... (github-slugger). Explicit HTML anchors count too.
     */
    static Set<String> anchors(String page) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : outsideCode(page)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1) == null ? "" : heading.group(1));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
            Matcher id = HTML_ID.matcher(line);
            while (id.find()) {
                anchors.add(id.group(1));
            }
        }
        return anchors;
    }

    /** The anchor GitHub gives a heading whose Markdown text is {@code heading}. */
    static String slug(String heading) {
        String text = MARKUP_LINK.matcher(heading).replaceAll("$1");
        text = HTML_TAG.matcher(text).replaceAll("");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
                .replace(' ', '-');
    }

    /** Every link and image of a page outside code blocks and code spans, in order. */
    static List<Link> links(String page) {
        List<Link> links = new ArrayList<>();
        String[] lines = page.split("\n", -1);
        boolean[] inCode = codeLines(lines);
        for (int i = 0; i < lines.length; i++) {
            if (inCode[i]) {
                continue;
            }
            String line = CODE_SPAN.matcher(lines[i]).replaceAll("``");
            Matcher inline = INLINE_LINK.matcher(line);
            while (inline.find()) {
                links.add(new Link(inline.group(1), i + 1));
            }
            Matcher reference = REFERENCE_DEFINITION.matcher(line);
            if (reference.find()) {
                links.add(new Link(reference.group(1), i + 1));
            }
        }
        return links;
    }

    /** The contents of each fenced code block of a page, in order, without the fences. */
    static List<String> codeBlocks(String page) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        String fence = null;
        for (String line : page.split("\n", -1)) {
            Matcher open = FENCE.matcher(line);
            if (fence == null && open.find()) {
                fence = open.group(1);
                block = new StringBuilder();
            } else if (fence != null
                    && line.strip().startsWith(fence)
                    && line.strip().matches("[`~]+")) {
                blocks.add(block.toString());
                fence = null;
            } else if (fence != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    private static List<String> outsideCode(String page) {
        String[] lines = page.split("\n", -1);
        boolean[] inCode = codeLines(lines);
        List<String> outside = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (!inCode[i]) {
                outside.add(lines[i]);
            }
        }
        return outside;
    }

    /** Which lines are fences or inside a fenced block (a fence closes with at least as many of its character). */
    private static boolean[] codeLines(String[] lines) {
        boolean[] inCode = new boolean[lines.length];
        String fence = null;
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (fence == null && open.find()) {
                fence = open.group(1);
                inCode[i] = true;
            } else if (fence != null) {
                inCode[i] = true;
                String stripped = lines[i].strip();
                if (stripped.startsWith(fence) && stripped.matches("[`~]+")) {
                    fence = null;
                }
            }
        }
        return inCode;
    }
}
