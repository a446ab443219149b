package io.nsscope.events;

import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.scan.Snapshot;
import io.nsscope.scan.SnapshotDiff;
import io.nsscope.scan.SnapshotListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;

/**
 * Turns consecutive snapshots into namespace events, keeps the latest in a bounded buffer for clients that reconnect
 * ({@code Last-Event-ID}), and fans them out to subscribers through bounded queues: publishing never blocks the
 * scan thread, and a subscriber that falls too far behind is marked to be dropped rather than allowed to grow memory.
 */
public final class EventHub implements SnapshotListener {

    private final int bufferSize;
    private final int queuePerSubscriber;
    private final Semaphore slots;
    private final Deque<NamespaceEvent> buffer = new ArrayDeque<>();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private long lastId;

    public EventHub(int bufferSize, int maxSubscribers, int queuePerSubscriber) {
        this.bufferSize = bufferSize;
        this.queuePerSubscriber = queuePerSubscriber;
        this.slots = new Semaphore(maxSubscribers);
    }

    @Override
    public void onSnapshot(Snapshot previous, Snapshot current, SnapshotDiff diff) {
        if (diff.created().isEmpty() && diff.destroyed().isEmpty()) {
            return;
        }
        List<NamespaceEvent> events = new ArrayList<>();
        synchronized (this) {
            for (Namespace ns : diff.destroyed()) {
                events.add(NamespaceEvent.of(++lastId, NamespaceEvent.DESTROYED, ns, previous, current.takenAt()));
            }
            for (Namespace ns : diff.created()) {
                events.add(NamespaceEvent.of(++lastId, NamespaceEvent.CREATED, ns, current, current.takenAt()));
            }
            for (NamespaceEvent event : events) {
                buffer.addLast(event);
                if (buffer.size() > bufferSize) {
                    buffer.removeFirst();
                }
            }
            for (Subscription subscription : subscribers) {
                events.forEach(subscription::offer);
            }
        }
    }

    /**
     * Subscribes, replaying what the client missed after {@code lastEventId} (null for a new client). When those
     * events are no longer buffered (or the id is from another run), the replay is a single {@code reset} event.
     *
     * @throws TooManySubscribersException when every slot is taken
     */
    public Subscription subscribe(Long lastEventId, Set<NamespaceType> types) {
        if (!slots.tryAcquire()) {
            throw new TooManySubscribersException();
        }
        Subscription subscription = new Subscription(this, types, queuePerSubscriber);
        synchronized (this) {
            if (lastEventId != null && lastEventId < lastId) {
                long oldest = buffer.isEmpty() ? lastId + 1 : buffer.peekFirst().id();
                if (lastEventId + 1 < oldest || lastEventId < 0) {
                    subscription.offer(NamespaceEvent.reset(lastId, java.time.Instant.now()));
                } else {
                    buffer.stream().filter(e -> e.id() > lastEventId).forEach(subscription::offer);
                }
            } else if (lastEventId != null && lastEventId > lastId) {
                subscription.offer(NamespaceEvent.reset(lastId, java.time.Instant.now()));
            }
            subscribers.add(subscription);
        }
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        if (subscribers.remove(subscription)) {
            slots.release();
        }
    }

    /** The number of open subscriptions. */
    public int subscribers() {
        return subscribers.size();
    }

    /** The id of the newest event, 0 before the first. */
    public synchronized long lastId() {
        return lastId;
    }
}
