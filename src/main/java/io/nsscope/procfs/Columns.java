package io.nsscope.procfs;

import java.util.ArrayList;
import java.util.List;

/** The whitespace-separated columns of the lines of a small procfs table, such as {@code uid_map}. */
final class Columns {

    private Columns() {}

    /**
     * The non-blank lines of {@code text}, each split on blanks into exactly {@code count} columns.
     *
     * @throws IllegalArgumentException for a line with another number of columns, naming {@code file}
     */
    static List<String[]> of(String text, int count, String file) {
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] f = trimmed.split("\\s+");
            if (f.length != count) {
                throw new IllegalArgumentException("malformed " + file + " line: " + line);
            }
            rows.add(f);
        }
        return rows;
    }
}
