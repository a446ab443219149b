package io.nsscope.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.scan.Snapshot;
import io.nsscope.scan.SnapshotDiff;
import io.nsscope.scan.SnapshotListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listeners hear what the early first scan told before they were attached, in order, then every later scan. */
class FirstScanTest {

    private static final SnapshotDiff NONE = new SnapshotDiff(List.of(), List.of());

    /** Records what it is told, by the identity of the diff or the failure's message. */
    private static final class Recording implements SnapshotListener {
        final List<String> heard = new ArrayList<>();

        @Override
        public void onSnapshot(Snapshot previous, Snapshot current, SnapshotDiff diff) {
            heard.add(diff == NONE ? "snapshot" : "other");
        }

        @Override
        public void onScanFailure(Throwable error) {
            heard.add("failure " + error.getMessage());
        }
    }

    @Test
    void whatHappenedBeforeAttachingIsToldInOrderThenEverythingLater() {
        FirstScan first = new FirstScan();
        first.onSnapshot(null, null, NONE);
        first.onScanFailure(new IllegalStateException("one"));
        Recording a = new Recording();
        Recording b = new Recording();

        first.attach(List.of(a, b));
        first.onScanFailure(new IllegalStateException("two"));
        first.onSnapshot(null, null, NONE);

        assertThat(a.heard).containsExactly("snapshot", "failure one", "failure two", "snapshot");
        assertThat(b.heard).isEqualTo(a.heard);
    }

    @Test
    void attachingAgainChangesNothingAndTellsNothingTwice() {
        FirstScan first = new FirstScan();
        first.onSnapshot(null, null, NONE);
        Recording a = new Recording();
        first.attach(List.of(a));
        Recording late = new Recording();
        first.attach(List.of(a, late));
        first.onSnapshot(null, null, NONE);

        assertThat(a.heard).containsExactly("snapshot", "snapshot");
        assertThat(late.heard).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotKeepTheOthersFromHearing() {
        FirstScan first = new FirstScan();
        first.onSnapshot(null, null, NONE);
        SnapshotListener failing = (previous, current, diff) -> {
            throw new IllegalStateException("listener's fault");
        };
        Recording a = new Recording();
        first.attach(List.of(failing, a));
        first.onSnapshot(null, null, NONE);

        assertThat(a.heard).containsExactly("snapshot", "snapshot");
    }
}
