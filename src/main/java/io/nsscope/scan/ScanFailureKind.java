package io.nsscope.scan;

import java.io.IOException;
import java.util.Locale;

/**
 * What kind of fault failed a scan: the {@code reason} label of {@code nsscope_scans_failed_total}. Races with
 * processes never fail a scan (the scanner counts them as vanished), so every kind here needs a look.
 */
public enum ScanFailureKind {
    /** An {@link IOException}: the procfs as a whole cannot be read (its root is missing, unlisted, or emptied). */
    PROCFS,
    /** Any other exception: a fault of nsscope. */
    BUG,
    /**
     * A JVM {@link Error}: {@code OutOfMemoryError}, JNA's {@code UnsatisfiedLinkError} (no C library, or a symbol it
     * lacks)... The scan thread survives it and the next scan runs.
     */
    ERROR;

    /** The kind of a throwable that ended a scan. */
    static ScanFailureKind of(Throwable t) {
        if (t instanceof Error) {
            return ERROR;
        }
        return t instanceof IOException ? PROCFS : BUG;
    }

    /** The label value: {@code procfs}, {@code bug}, {@code error}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
