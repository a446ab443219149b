package io.nsscope.sandbox;

import java.util.function.LongSupplier;

/** A token bucket: at most {@code perMinute} creations in any minute, refilled continuously. */
final class CreationRate {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    CreationRate(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
        this.tokens = perMinute;
        this.last = nanoTime.getAsLong();
    }

    /** Takes a token: 0 when there was one, else the seconds until there will be (and nothing is taken). */
    synchronized long tryAcquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(perMinute, tokens + (double) (now - last) * perMinute / MINUTE_NANOS);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) * 60 / perMinute));
    }
}
