package io.nsscope.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host programs a sandbox's start-up chain runs: {@code sh} (the trampoline), util-linux {@code mount} and
 * {@code setpriv} (on kernels before 6.17, where a shell as root mounts /proc and setpriv then drops to the pool
 * UID), {@code unshare} (creates the user namespace single-threaded) and {@code env} (gives the command the
 * request's environment, which the helpers before /proc is mounted never see).
 *
 * @param sh      a POSIX shell
 * @param mount   util-linux mount(8)
 * @param setpriv util-linux setpriv(1)
 * @param unshare util-linux unshare(1)
 * @param env     coreutils env(1)
 */
record Tools(String sh, String mount, String setpriv, String unshare, String env) {

    private static final List<String> DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

    /** Finds the tools in the usual directories; a missing one is null. */
    static Tools find() {
        return new Tools(which("sh"), which("mount"), which("setpriv"), which("unshare"), which("env"));
    }

    /** The names of the missing tools, empty when all are there. */
    List<String> missing() {
        return java.util.stream.Stream.of(sh == null ? "sh" : null, mount == null ? "mount" : null,
                setpriv == null ? "setpriv" : null, unshare == null ? "unshare" : null, env == null ? "env" : null)
                .filter(java.util.Objects::nonNull).toList();
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
