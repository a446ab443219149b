package io.nsscope.sandbox;

import java.nio.charset.StandardCharsets;

/** The last {@code capacity} bytes a sandbox wrote to stdout and stderr (one pipe for both, in the order written). */
final class LogTail {

    private final byte[] ring;
    private long total;

    LogTail(int capacity) {
        this.ring = new byte[Math.max(1, capacity)];
    }

    synchronized void append(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (total++ % ring.length)] = bytes[i];
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
