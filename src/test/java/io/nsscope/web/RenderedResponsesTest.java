package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderedResponsesTest {

    private static RenderedResponses.Entry entry(long sequence, int size) {
        return new RenderedResponses.Entry(
                sequence,
                "W/\"x-" + sequence + "\"",
                0L,
                "application/json",
                Map.of("Vary", List.of("Accept")),
                new byte[size],
                "/processes");
    }

    @Test
    void oneRequestRendersAKeyForASnapshotAndTheOthersWaitForItsBytes() {
        RenderedResponses store = new RenderedResponses(8, 1 << 20);
        RenderedResponses.Lookup first = store.lookup("/processes", 7);
        RenderedResponses.Lookup second = store.lookup("/processes", 7);
        RenderedResponses.Lookup third = store.lookup("/processes", 7);
        assertThat(first.leader()).isTrue();
        assertThat(second.leader()).isFalse();
        assertThat(second.entry()).isNull();
        assertThat(second.flight())
                .isSameAs(first.flight())
                .isSameAs(third.flight())
                .isNotDone();

        RenderedResponses.Entry made = entry(7, 100);
        store.finish("/processes", first, made);

        assertThat(second.flight()).isCompletedWithValue(made);
        RenderedResponses.Lookup later = store.lookup("/processes", 7);
        assertThat(later.entry()).isSameAs(made);
        assertThat(later.flight()).isNull();
    }

    @Test
    void aNewSnapshotIsRenderedAgainAndOustsTheOldOnesBytes() {
        RenderedResponses store = new RenderedResponses(8, 1 << 20);
        RenderedResponses.Lookup old = store.lookup("/namespaces", 1);
        store.finish("/namespaces", old, entry(1, 100));
        store.finish("/trees/pid", store.lookup("/trees/pid", 1), entry(1, 50));
        assertThat(store.bytes()).isEqualTo(150);

        RenderedResponses.Lookup next = store.lookup("/namespaces", 2);
        assertThat(next.leader()).isTrue();
        store.finish("/namespaces", next, entry(2, 70));

        assertThat(store.size()).isOne();
        assertThat(store.bytes()).isEqualTo(70);
        assertThat(store.lookup("/trees/pid", 2).leader()).isTrue();
    }

    @Test
    void whenTheLeaderMakesNothingTheWaitersRenderForThemselvesAndTheNextRequestLeads() {
        RenderedResponses store = new RenderedResponses(8, 1 << 20);
        RenderedResponses.Lookup leader = store.lookup("/processes?bad", 3);
        RenderedResponses.Lookup waiter = store.lookup("/processes?bad", 3);

        store.finish("/processes?bad", leader, null);

        assertThat(waiter.flight()).isCompletedWithValue(null);
        assertThat(store.size()).isZero();
        assertThat(store.lookup("/processes?bad", 3).leader()).isTrue();
    }

    @Test
    void anOldLeaderFinishingLateLeavesTheNewerFlightAlone() {
        RenderedResponses store = new RenderedResponses(8, 1 << 20);
        RenderedResponses.Lookup old = store.lookup("/namespaces", 1);
        RenderedResponses.Lookup newer = store.lookup("/namespaces", 2);
        assertThat(newer.leader()).isTrue();

        store.finish("/namespaces", old, entry(1, 10));

        RenderedResponses.Lookup waiter = store.lookup("/namespaces", 2);
        assertThat(waiter.leader()).isFalse();
        assertThat(waiter.flight()).isSameAs(newer.flight());
    }

    @Test
    void theBudgetBoundsTheBytesKeptAndNoAnswerTakesMoreThanAQuarterOfIt() {
        RenderedResponses store = new RenderedResponses(100, 1000);
        for (int i = 0; i < 10; i++) {
            store.finish("/processes?pid=" + i, store.lookup("/processes?pid=" + i, 5), entry(5, 200));
        }
        assertThat(store.bytes()).isLessThanOrEqualTo(1000);
        assertThat(store.size()).isEqualTo(5);
        // the least recently used went first
        assertThat(store.lookup("/processes?pid=0", 5).leader()).isTrue();
        assertThat(store.lookup("/processes?pid=9", 5).entry()).isNotNull();

        store.finish("/processes", store.lookup("/processes", 5), entry(5, 251));
        assertThat(store.lookup("/processes", 5).leader()).isTrue();
    }

    @Test
    void anEntryIsCompressedOnceAndTheSameBytesServeEveryClient() throws Exception {
        byte[] body = "{\"namespaces\":[]}".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        RenderedResponses.Entry entry =
                new RenderedResponses.Entry(1, "W/\"x-1\"", 0L, "application/json", Map.of(), body, "/namespaces");
        byte[] gzip = entry.gzip();
        assertThat(entry.gzip()).isSameAs(gzip);
        try (java.util.zip.GZIPInputStream in =
                new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
            assertThat(in.readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void theEntriesAreBoundedInNumber() {
        RenderedResponses store = new RenderedResponses(3, 1 << 20);
        for (int i = 0; i < 5; i++) {
            store.finish("/namespaces?type=" + i, store.lookup("/namespaces?type=" + i, 1), entry(1, 1));
        }
        assertThat(store.size()).isEqualTo(3);
    }
}
