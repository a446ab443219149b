package io.nsscope.web;

import io.nsscope.web.text.SafeText;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws process trees as {@code pstree -p} does: {@code name(pid)}, a single child joined with {@code ---}, several
 * with {@code -+-}, {@code |-} and {@code `-} (or the Unicode box-drawing set, as {@code pstree -U} draws it), and
 * never truncated (as with {@code pstree -l}). Names are escaped as lsns escapes them ({@link SafeText}).
 */
final class PstreeDrawing {

    /** The line-drawing characters: {@code pstree -A} (ASCII, its default into a pipe) or {@code -U}. */
    enum Style {
        ASCII("---", "-+-", "|-", "`-", "| "),
        UNICODE("───", "─┬─", "├─", "└─", "│ ");

        final String single;
        final String first;
        final String middle;
        final String last;
        final String bar;

        Style(String single, String first, String middle, String last, String bar) {
            this.single = single;
            this.first = first;
            this.middle = middle;
            this.last = last;
            this.bar = bar;
        }
    }

    private PstreeDrawing() {}

    /** The lines of the tree under one root. */
    static List<String> draw(TreeView.TreeNode node, Style style) {
        String label = SafeText.escape(node.name()) + "(" + node.pid() + ")";
        List<TreeView.TreeNode> children = node.children();
        List<String> lines = new ArrayList<>();
        if (children.isEmpty()) {
            lines.add(label);
            return lines;
        }
        String pad = " ".repeat(label.length() + 1);
        for (int i = 0; i < children.size(); i++) {
            List<String> sub = draw(children.get(i), style);
            boolean lastChild = i == children.size() - 1;
            String continuation = lastChild ? "  " : style.bar;
            if (i == 0) {
                String joint = children.size() == 1 ? style.single : style.first;
                lines.add(label + joint + sub.get(0));
                String under =
                        children.size() == 1 ? " ".repeat(label.length() + style.single.length()) : pad + continuation;
                for (int j = 1; j < sub.size(); j++) {
                    lines.add(under + sub.get(j));
                }
            } else {
                lines.add(pad + (lastChild ? style.last : style.middle) + sub.get(0));
                for (int j = 1; j < sub.size(); j++) {
                    lines.add(pad + continuation + sub.get(j));
                }
            }
        }
        return lines;
    }
}
