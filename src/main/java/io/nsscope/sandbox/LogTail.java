package io.nsscope.sandbox;

import java.nio.charset.StandardCharsets;

/** The last {@code capacity} bytes a sandbox wrote to stdout and stderr (one pipe for both, in the order written). */
final class LogTail {

    private final byte[] ring;
    private long total;

    LogTail(int capacity) {
        this.ring = new byte[Math.max(1, capacity)];
    }

    /** Appends {@code length} bytes: at most two block copies into the ring, whatever the length. */
    synchronized void append(byte[] bytes, int length) {
        int offset = Math.max(0, length - ring.length); // bytes the ring cannot keep anyway
        total += offset;
        int remaining = length - offset;
        while (remaining > 0) {
            int at = (int) (total % ring.length);
            int n = Math.min(remaining, ring.length - at);
            System.arraycopy(bytes, offset, ring, at, n);
            offset += n;
            remaining -= n;
            total += n;
        }
    }

    /** All bytes ever written, including those dropped from the tail. */
    synchronized long total() {
        return total;
    }

    /** The tail as text (UTF-8; a character cut at the start becomes a replacement character). */
    synchronized String text() {
        int kept = (int) Math.min(total, ring.length);
        byte[] out = new byte[kept];
        long start = total - kept;
        for (int i = 0; i < kept; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
