package io.nsscope.sandbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The sandboxes nsscope knows: all running ones, and the last {@link #KEPT_ENDED} ended ones (for GET and logs). */
final class Registry {

    static final int KEPT_ENDED = 256;

    private final Map<String, Tracked> byId = new LinkedHashMap<>();

    synchronized void add(Tracked t) {
        byId.put(t.id(), t);
        List<Tracked> ended = byId.values().stream()
                .filter(x -> !x.running())
                .sorted(Comparator.comparing(Tracked::endedAt))
                .toList();
        for (int i = 0; i < ended.size() - KEPT_ENDED; i++) {
            byId.remove(ended.get(i).id());
        }
    }

    synchronized Optional<Tracked> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    synchronized List<Tracked> all() {
        return new ArrayList<>(byId.values());
    }

    synchronized List<Tracked> running() {
        return byId.values().stream().filter(Tracked::running).toList();
    }

    synchronized boolean knows(String id) {
        return byId.containsKey(id);
    }
}
