package io.nsscope.events;

import io.nsscope.namespace.NamespaceType;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** One client's stream: a bounded queue of the events it asked for, drained by the thread that writes to it. */
public final class Subscription implements AutoCloseable {

    private final EventHub hub;
    private final Set<NamespaceType> types;
    private final BlockingQueue<NamespaceEvent> queue;
    private volatile boolean overflowed;

    Subscription(EventHub hub, Set<NamespaceType> types, int capacity) {
        this.hub = hub;
        this.types = Set.copyOf(types);
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    void offer(NamespaceEvent event) {
        if (event.isOf(types) && !queue.offer(event)) {
            // The client reads slower than namespaces change: drop it rather than buffer without bound.
            overflowed = true;
        }
    }

    /** The next event, or null when none came within {@code wait} (time for a heartbeat). */
    public NamespaceEvent next(Duration wait) throws InterruptedException {
        return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the client fell too far behind and must be disconnected. */
    public boolean overflowed() {
        return overflowed;
    }

    @Override
    public void close() {
        hub.unsubscribe(this);
    }
}
