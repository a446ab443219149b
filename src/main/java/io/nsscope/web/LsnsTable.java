package io.nsscope.web;

import io.nsscope.web.text.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Plain-text tables laid out as util-linux's libsmartcols lays out {@code lsns}: one space between columns,
 * numbers right-aligned, text left-aligned, the last column not padded, nothing truncated, every cell escaped as
 * lsns escapes it ({@link SafeText}); a cell of several lines (NSFS with more than one bind mount) continues on the
 * lines below, the other cells blank there.
 */
final class LsnsTable {

    private LsnsTable() {}

    record Column<T>(String header, boolean right, Function<T, Object> value) {}

    /** {@code lsns}'s default columns: NS TYPE NPROCS PID USER COMMAND. */
    static String render(List<NamespaceView> rows) {
        return render(rows, false);
    }

    /**
     * {@code lsns}'s default columns; with {@code net}, those of {@code lsns -t net} (2.42 adds NETNSID and NSFS when
     * net namespaces are asked for): NS TYPE NPROCS PID USER NETNSID NSFS COMMAND.
     */
    static String render(List<NamespaceView> rows, boolean net) {
        List<Column<NamespaceView>> columns = new ArrayList<>(List.of(
                new Column<>("NS", true, NamespaceView::ns),
                new Column<>("TYPE", false, NamespaceView::type),
                new Column<>("NPROCS", true, NamespaceView::nprocs),
                new Column<>("PID", true, NamespaceView::pid),
                new Column<>("USER", false, NamespaceView::user)));
        if (net) {
            columns.addAll(netColumns());
        }
        columns.add(new Column<>("COMMAND", false, LsnsTable::commandOrHolder));
        return table(rows, columns);
    }

    /** NETNSID (right-aligned) and NSFS (a bind mount per line), as {@code lsns -t net} shows them. */
    static List<Column<NamespaceView>> netColumns() {
        return List.of(
                new Column<>("NETNSID", true, NamespaceView::netnsid),
                new Column<>(
                        "NSFS",
                        false,
                        v -> v.nsfs() == null ? null : List.of(v.nsfs().split("\n", -1))));
    }

    /**
     * The lowest-PID process's command; for a namespace without processes, what holds it, in brackets (lsns leaves
     * the column empty): {@code [mount /run/netns/blue]}, {@code [fd 3 of 812]}, {@code [socket 5 of 812]},
     * {@code [thread 4250 of 4242]}, {@code [ghost]}.
     */
    static String commandOrHolder(NamespaceView row) {
        String mark = row.sandbox() == null ? "" : "  [sandbox " + row.sandbox() + "]";
        if (row.command() != null) {
            return row.command() + mark;
        }
        List<String> what = new ArrayList<>();
        for (NamespaceView.HolderView h : row.holders()) {
            what.add(h.kind().equals("mount") ? "mount " + h.path() : h.kind() + " " + h.fd() + " of " + h.pid());
        }
        for (NamespaceView.LooseThreadView t : row.looseThreads()) {
            what.add("thread " + t.tid() + " of " + t.pid());
        }
        if (row.ghost()) {
            what.add("ghost");
        }
        return (what.isEmpty()
                        ? ""
                        : "[" + String.join(", ", what.stream().distinct().toList()) + "]")
                + mark;
    }

    /** The processes of one namespace: PID PPID UID USER COMMAND. */
    static String renderMembers(List<MemberView> rows) {
        return table(
                rows,
                List.of(
                        new Column<>("PID", true, MemberView::pid),
                        new Column<>("PPID", true, MemberView::ppid),
                        new Column<>("UID", true, MemberView::uid),
                        new Column<>("USER", false, MemberView::user),
                        new Column<>("COMMAND", false, MemberView::command)));
    }

    static <T> String table(List<T> rows, List<Column<T>> columns) {
        List<String[][]> cells = new ArrayList<>(rows.size() + 1);
        cells.add(columns.stream().map(c -> new String[] {c.header()}).toArray(String[][]::new));
        for (T row : rows) {
            cells.add(columns.stream().map(c -> lines(c.value().apply(row))).toArray(String[][]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[][] line : cells) {
            for (int i = 0; i < line.length; i++) {
                for (String part : line[i]) {
                    widths[i] = Math.max(widths[i], part.length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[][] line : cells) {
            int height = 1;
            for (String[] cell : line) {
                height = Math.max(height, cell.length);
            }
            for (int k = 0; k < height; k++) {
                for (int i = 0; i < line.length; i++) {
                    String part = k < line[i].length ? line[i][k] : "";
                    boolean last = i == line.length - 1;
                    if (i > 0) {
                        out.append(' ');
                    }
                    if (columns.get(i).right()) {
                        out.append(" ".repeat(widths[i] - part.length())).append(part);
                    } else {
                        out.append(part);
                        if (!last) {
                            out.append(" ".repeat(widths[i] - part.length()));
                        }
                    }
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * A cell's lines, each escaped: a list is a cell of several lines (NSFS); any other value is one line, its own
     * newlines escaped as lsns escapes them (a command line may hold one).
     */
    private static String[] lines(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(LsnsTable::text).toArray(String[]::new);
        }
        return new String[] {text(value)};
    }

    private static String text(Object value) {
        return value == null ? "" : SafeText.escape(value.toString());
    }
}
