package io.nsscope.procfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The mounts of a process's mount namespace, {@code /proc/<pid>/mountinfo} (proc_pid_mountinfo(5)), one
 * {@link Mount} per line.
 *
 * @param mounts the mounts in the file's order (parents before children)
 */
public record Mountinfo(List<Mount> mounts) {

    public Mountinfo {
        mounts = List.copyOf(mounts);
    }

    /**
     * One line of {@code mountinfo}:
     * {@code 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue}.
     *
     * @param id             field 1, the mount ID
     * @param parentId       field 2, the parent mount's ID (itself for the root of the namespace's tree)
     * @param device         field 3, {@code major:minor} of the filesystem
     * @param root           field 4, the path within the filesystem that is mounted; for an nsfs mount the namespace,
     *                       e.g. {@code net:[4026532281]}
     * @param mountPoint     field 5, where it is mounted, relative to the process's root ({@code \040}-style escapes
     *                       decoded)
     * @param options        field 6, per-mount options
     * @param optionalFields the tagged fields before {@code -}: {@code shared:N}, {@code master:N},
     *                       {@code propagate_from:N}, {@code unbindable}
     * @param fsType         the filesystem type after {@code -}, e.g. {@code nsfs}, {@code proc}
     * @param source         the mount source, e.g. {@code /dev/sda1} or {@code nsfs}
     * @param superOptions   per-superblock options
     */
    public record Mount(
            int id,
            int parentId,
            String device,
            String root,
            String mountPoint,
            String options,
            List<String> optionalFields,
            String fsType,
            String source,
            String superOptions) {

        public Mount {
            optionalFields = List.copyOf(optionalFields);
        }

        /**
         * The propagation type as {@code findmnt -o PROPAGATION} names it: {@code shared}, {@code private},
         * {@code private,slave}, {@code shared,slave} or {@code unbindable}.
         */
        public String propagation() {
            boolean shared = false;
            boolean slave = false;
            boolean unbindable = false;
            for (String field : optionalFields) {
                shared |= field.startsWith("shared:");
                slave |= field.startsWith("master:");
                unbindable |= field.equals("unbindable");
            }
            if (unbindable) {
                return "unbindable";
            }
            return (shared ? "shared" : "private") + (slave ? ",slave" : "");
        }
    }

    /** Parses the text of a {@code mountinfo} file; a line without the {@code -} separator is a malformed file. */
    public static Mountinfo parse(String text) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                mounts.add(parseLine(line));
            }
        }
        return new Mountinfo(mounts);
    }

    /** Reads and parses {@code <root>/<pid>/mountinfo}. */
    public static Mountinfo read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "mountinfo"));
    }

    private static Mount parseLine(String line) {
        String[] f = line.split(" ");
        int dash = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                dash = i;
                break;
            }
        }
        if (dash < 0 || dash + 2 >= f.length) {
            throw new IllegalArgumentException("malformed mountinfo line: " + line);
        }
        List<String> optional = new ArrayList<>();
        for (int i = 6; i < dash; i++) {
            optional.add(f[i]);
        }
        return new Mount(
                Integer.parseInt(f[0]),
                Integer.parseInt(f[1]),
                f[2],
                unescape(f[3]),
                unescape(f[4]),
                f[5],
                optional,
                unescape(f[dash + 1]),
                unescape(f[dash + 2]),
                dash + 3 < f.length ? f[dash + 3] : "");
    }

    /** Decodes the kernel's octal escapes of space, tab, newline and backslash ({@code \040}...). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
