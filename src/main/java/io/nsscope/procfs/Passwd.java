package io.nsscope.procfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * User names by UID from a password file (passwd(5)): {@code name:password:uid:gid:gecos:home:shell}. The
 * first entry of a UID wins, as with getpwuid(3).
 *
 * @param names the user name of each UID listed
 */
public record Passwd(Map<Integer, String> names) {

    /** A database with no names: every UID shows as its number. */
    public static final Passwd EMPTY = new Passwd(Map.of());

    public Passwd {
        names = Map.copyOf(names);
    }

    /** The name of a UID, or the UID as a decimal string when it has none (as {@code lsns} shows it). */
    public String nameOf(int uid) {
        String name = names.get(uid);
        return name != null ? name : Integer.toString(uid);
    }

    /** Parses a passwd file; comments, blank and malformed lines (including NIS {@code +} entries) are skipped. */
    public static Passwd parse(String text) {
        Map<Integer, String> names = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) {
                continue;
            }
            String[] fields = line.split(":", -1);
            if (fields.length < 3 || fields[0].isEmpty()) {
                continue;
            }
            try {
                names.putIfAbsent(Integer.parseUnsignedInt(fields[2].trim()), fields[0]);
            } catch (NumberFormatException e) {
                // A malformed line is skipped, as getpwent(3) skips it.
            }
        }
        return new Passwd(names);
    }

    /** Reads and parses a passwd file. */
    public static Passwd read(Path file) throws IOException {
        return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    }
}
