package io.nsscope.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host programs of a sandbox's start-up chain ({@link Trampoline}): {@code sh} (mounts /proc on kernels before
 * 6.17), util-linux {@code mount}, {@code setpriv} (drops to the pool UID in the spawned process, never in a JVM
 * thread) and {@code unshare} (creates the user namespace single-threaded), and {@code perl} (the last step: takes
 * the command's environment from a pipe and execs the descriptor opened at validation, {@code execveat(2)}; Perl is
 * part of every Debian and Ubuntu system, {@code perl-base}).
 *
 * @param sh      a POSIX shell
 * @param mount   util-linux mount(8)
 * @param setpriv util-linux setpriv(1)
 * @param unshare util-linux unshare(1)
 * @param perl    perl(1)
 */
record Tools(String sh, String mount, String setpriv, String unshare, String perl) {

    private static final List<String> DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

    /** Finds the tools in the usual directories; a missing one is null. */
    static Tools find() {
        return new Tools(which("sh"), which("mount"), which("setpriv"), which("unshare"), which("perl"));
    }

    /** The names of the missing tools, empty when all are there. */
    List<String> missing() {
        List<String> missing = new ArrayList<>();
        String[] names = {"sh", "mount", "setpriv", "unshare", "perl"};
        String[] paths = {sh, mount, setpriv, unshare, perl};
        for (int i = 0; i < names.length; i++) {
            if (paths[i] == null) {
                missing.add(names[i]);
            }
        }
        return missing;
    }

    private static String which(String name) {
        for (String dir : DIRS) {
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
