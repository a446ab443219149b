package io.nsscope.scan;

/**
 * A scan gave up before reading everything, because it was asked to: a {@code ?refresh=true} caller needs a scan that
 * starts after it asked, and a background scan already running would only make that caller wait for two. Not a
 * failure: the scanner keeps what the last finished scan knew, and the next scan starts from that.
 */
final class ScanAbandonedException extends RuntimeException {

    ScanAbandonedException() {
        super("scan abandoned for a scan that starts later", null, false, false);
    }
}
