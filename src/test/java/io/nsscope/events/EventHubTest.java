package io.nsscope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.ProcessInfo;
import io.nsscope.scan.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventHubTest {

    private long sequence;

    /** A snapshot of one process per given (net inode, uts inode). */
    private Snapshot snapshot(long... netInodes) {
        List<ProcessInfo> processes = new ArrayList<>();
        int pid = 100;
        for (long net : netInodes) {
            processes.add(new ProcessInfo(
                    pid,
                    1,
                    'S',
                    "sleep",
                    "sleep " + pid,
                    0,
                    "root",
                    List.of(pid),
                    Map.of(NamespaceLink.NET, net, NamespaceLink.UTS, 4026531838L),
                    false,
                    1,
                    false,
                    null,
                    0));
            pid++;
        }
        return new Snapshot(++sequence, Instant.now(), Duration.ofMillis(1), processes, 0);
    }

    private static List<NamespaceEvent> drain(Subscription s) throws InterruptedException {
        List<NamespaceEvent> events = new ArrayList<>();
        NamespaceEvent e;
        while ((e = s.next(Duration.ZERO)) != null) {
            events.add(e);
        }
        return events;
    }

    @Test
    void consecutiveSnapshotsBecomeCreatedAndDestroyedEventsWithIncreasingIds() throws Exception {
        EventHub hub = new EventHub(100, 4, 100);
        Snapshot first = snapshot(10);
        hub.onSnapshot(null, first);
        try (Subscription s = hub.subscribe(null, Set.of())) {
            Snapshot second = snapshot(10, 20);
            hub.onSnapshot(first, second);
            hub.onSnapshot(second, snapshot(20));
            List<NamespaceEvent> events = drain(s);
            assertThat(events)
                    .extracting(
                            NamespaceEvent::id,
                            NamespaceEvent::event,
                            NamespaceEvent::ns,
                            NamespaceEvent::type,
                            NamespaceEvent::pid)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1L, "namespace-created", 20L, "net", 101),
                            org.assertj.core.groups.Tuple.tuple(2L, "namespace-destroyed", 10L, "net", 100));
            assertThat(events.get(0).command()).isEqualTo("sleep 101");
        }
    }

    @Test
    void theFirstSnapshotIsABaselineNotAFlood() throws Exception {
        EventHub hub = new EventHub(100, 4, 100);
        try (Subscription s = hub.subscribe(null, Set.of())) {
            hub.onSnapshot(null, snapshot(10, 20, 30));
            assertThat(drain(s)).isEmpty();
        }
    }

    @Test
    void filtersByType() throws Exception {
        EventHub hub = new EventHub(100, 4, 100);
        Snapshot a = snapshot(10);
        try (Subscription net = hub.subscribe(null, EnumSet.of(NamespaceType.NET));
                Subscription pid = hub.subscribe(null, EnumSet.of(NamespaceType.PID))) {
            hub.onSnapshot(a, snapshot(10, 20));
            assertThat(drain(net)).hasSize(1);
            assertThat(drain(pid)).isEmpty();
        }
    }

    @Test
    void aReconnectingClientGetsWhatItMissed() throws Exception {
        EventHub hub = new EventHub(100, 4, 100);
        Snapshot a = snapshot(10);
        Snapshot b = snapshot(10, 20);
        Snapshot c = snapshot(10, 20, 30);
        hub.onSnapshot(a, b);
        hub.onSnapshot(b, c);
        try (Subscription s = hub.subscribe(1L, Set.of())) {
            assertThat(drain(s))
                    .extracting(NamespaceEvent::id, NamespaceEvent::ns)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 30L));
        }
        try (Subscription s = hub.subscribe(2L, Set.of())) {
            assertThat(drain(s)).isEmpty();
        }
    }

    @Test
    void aGapOlderThanTheBufferOrFromAnotherRunIsAReset() throws Exception {
        EventHub hub = new EventHub(2, 4, 100);
        Snapshot previous = snapshot(10);
        for (int i = 1; i <= 5; i++) {
            long[] inodes = new long[i + 1];
            for (int j = 0; j <= i; j++) {
                inodes[j] = 10 + j;
            }
            Snapshot next = snapshot(inodes);
            hub.onSnapshot(previous, next);
            previous = next;
        }
        assertThat(hub.lastId()).isEqualTo(5);
        try (Subscription s = hub.subscribe(1L, Set.of())) {
            assertThat(drain(s)).extracting(NamespaceEvent::event).containsExactly("reset");
        }
        try (Subscription s = hub.subscribe(3L, Set.of())) {
            assertThat(drain(s)).extracting(NamespaceEvent::id).containsExactly(4L, 5L);
        }
        try (Subscription s = hub.subscribe(999L, Set.of())) {
            assertThat(drain(s)).extracting(NamespaceEvent::event).containsExactly("reset");
        }
    }

    @Test
    void aSlowClientOverflowsInsteadOfGrowingMemory() throws Exception {
        EventHub hub = new EventHub(100, 4, 2);
        try (Subscription s = hub.subscribe(null, Set.of())) {
            hub.onSnapshot(snapshot(10), snapshot(10, 20, 30, 40));
            assertThat(s.overflowed()).isTrue();
            assertThat(drain(s)).hasSize(2);
        }
    }

    @Test
    void subscribersAreLimitedAndSlotsFreedOnClose() {
        EventHub hub = new EventHub(100, 2, 10);
        Subscription a = hub.subscribe(null, Set.of());
        Subscription b = hub.subscribe(null, Set.of());
        assertThatThrownBy(() -> hub.subscribe(null, Set.of())).isInstanceOf(TooManySubscribersException.class);
        a.close();
        a.close();
        Subscription c = hub.subscribe(null, Set.of());
        assertThat(hub.subscribers()).isEqualTo(2);
        assertThatThrownBy(() -> hub.subscribe(null, Set.of())).isInstanceOf(TooManySubscribersException.class);
        b.close();
        c.close();
        assertThat(hub.subscribers()).isZero();
    }
}
