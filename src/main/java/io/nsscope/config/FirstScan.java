package io.nsscope.config;

import io.nsscope.scan.Snapshot;
import io.nsscope.scan.SnapshotCache;
import io.nsscope.scan.SnapshotDiff;
import io.nsscope.scan.SnapshotListener;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the cache's scans as soon as the cache exists, while the rest of the application context is still being
 * made, instead of once it is: on a large host the first scan takes about as long as the context (a second each at
 * 10,000 processes on two cores), and readiness waits for both. The listeners, which are beans made later, hear what
 * happened meanwhile once they are attached, in order, and then every later scan as if they had been there from the
 * start.
 */
final class FirstScan implements SnapshotListener {

    private static final Logger log = LoggerFactory.getLogger(FirstScan.class);

    /** What a listener would have been told before the listeners were attached. */
    private record Missed(Snapshot previous, Snapshot current, SnapshotDiff diff, Throwable failure) {
    }

    private final List<Missed> missed = new ArrayList<>();
    private List<SnapshotListener> listeners;

    FirstScan() {
    }

    /**
     * Registers a buffering listener on {@code cache} and starts the cache on a thread of its own; returns the
     * listener, to {@link #attach} the real ones to.
     */
    static FirstScan begin(SnapshotCache cache) {
        FirstScan first = new FirstScan();
        cache.addListener(first);
        Thread thread = new Thread(() -> {
            try {
                cache.start();
            } catch (RuntimeException e) {
                // The context failed and closed the cache meanwhile, or the first scan could not be submitted: the
                // lifecycle's start runs it again, or the context is going away anyway.
                log.debug("the early first scan did not run", e);
            }
        }, "nsscope-first-scan");
        thread.setDaemon(true);
        thread.start();
        return first;
    }

    /** Tells {@code targets} what they missed, in order, and forwards them every later scan. */
    synchronized void attach(List<SnapshotListener> targets) {
        if (listeners != null) {
            return;
        }
        listeners = List.copyOf(targets);
        for (Missed m : missed) {
            for (SnapshotListener listener : listeners) {
                tell(listener, m);
            }
        }
        missed.clear();
    }

    @Override
    public synchronized void onSnapshot(Snapshot previous, Snapshot current, SnapshotDiff diff) {
        forward(new Missed(previous, current, diff, null));
    }

    @Override
    public synchronized void onScanFailure(Throwable error) {
        forward(new Missed(null, null, null, error));
    }

    private void forward(Missed m) {
        if (listeners == null) {
            missed.add(m);
            return;
        }
        for (SnapshotListener listener : listeners) {
            tell(listener, m);
        }
    }

    private static void tell(SnapshotListener listener, Missed m) {
        try {
            if (m.failure() != null) {
                listener.onScanFailure(m.failure());
            } else {
                listener.onSnapshot(m.previous(), m.current(), m.diff());
            }
        } catch (RuntimeException e) {
            // As the cache does: one listener's fault must not keep the others, or the scans, from going on.
            log.error("snapshot listener {} failed", listener, e);
        }
    }
}
