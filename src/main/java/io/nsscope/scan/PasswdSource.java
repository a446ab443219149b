package io.nsscope.scan;

import io.nsscope.procfs.Passwd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's password database, as it is at each scan (users come and go): read again when the file changed (another
 * file, size or modification time), else the last reading. When nsscope reads
 * the host's procfs from inside a container, its own {@code /etc/passwd} is the image's, so the host's is read
 * through {@code <root>/1/root/etc/passwd}. A database that cannot be read leaves UIDs as numbers, as {@code lsns}
 * shows a UID with no name.
 */
public final class PasswdSource implements Supplier<Passwd> {

    private static final Logger log = LoggerFactory.getLogger(PasswdSource.class);

    private final Path file;
    private volatile boolean warned;
    /** What was last read, and the file's identity, size and time then. */
    private volatile Reading last;

    private record Reading(List<Object> version, Passwd passwd) {}

    public PasswdSource(Path file) {
        this.file = file;
    }

    /** The file to read: the configured one, else the host's as seen from the procfs root. */
    public static Path resolve(Path procfsRoot, Path configured) {
        if (configured != null) {
            return configured;
        }
        if (procfsRoot.normalize().equals(Path.of("/proc"))) {
            return Path.of("/etc/passwd");
        }
        return procfsRoot.resolve("1/root/etc/passwd");
    }

    public Path file() {
        return file;
    }

    @Override
    public Passwd get() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            List<Object> version =
                    Arrays.asList(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
            Reading cached = last;
            if (cached != null && version.equals(cached.version())) {
                return cached.passwd();
            }
            Passwd passwd = Passwd.read(file);
            warned = false;
            last = new Reading(version, passwd);
            return passwd;
        } catch (IOException e) {
            if (!warned) {
                warned = true;
                log.warn("cannot read the password database {} ({}): user names show as UIDs", file, e.toString());
            }
            last = null;
            return Passwd.EMPTY;
        }
    }
}
