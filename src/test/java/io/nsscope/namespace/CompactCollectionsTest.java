package io.nsscope.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link LinkInodes} and {@link IntList} behave as the {@code EnumMap} and {@code List.copyOf} they replace. */
class CompactCollectionsTest {

    @Test
    void linkInodesIsTheEnumMapItReplaces() {
        EnumMap<NamespaceLink, Long> links = new EnumMap<>(NamespaceLink.class);
        links.put(NamespaceLink.UTS, 4026531838L);
        links.put(NamespaceLink.CGROUP, 4026531835L);
        links.put(NamespaceLink.PID_FOR_CHILDREN, 4026532000L);

        Map<NamespaceLink, Long> copy = LinkInodes.copyOf(Map.copyOf(links));

        assertThat(copy).isEqualTo(links).hasSameHashCodeAs(links);
        assertThat(links).isEqualTo(copy);
        assertThat(copy.keySet())
                .containsExactly(NamespaceLink.CGROUP, NamespaceLink.PID_FOR_CHILDREN, NamespaceLink.UTS);
        assertThat(copy.values()).containsExactly(4026531835L, 4026532000L, 4026531838L);
        assertThat(copy.get(NamespaceLink.UTS)).isEqualTo(4026531838L);
        assertThat(copy.get(NamespaceLink.NET)).isNull();
        assertThat(copy.get("uts")).isNull();
        assertThat(copy.containsKey(NamespaceLink.PID_FOR_CHILDREN)).isTrue();
        assertThat(copy.containsKey(NamespaceLink.PID)).isFalse();
        assertThat(copy.containsValue(4026532000L)).isTrue();
        assertThat(copy.containsValue(4026532001L)).isFalse();
        assertThat(copy).hasSize(3).hasToString(links.toString());
        assertThat(LinkInodes.copyOf(copy)).isSameAs(copy);
    }

    @Test
    void linkInodesIsImmutableAndTakesANullValueAsAbsent() {
        Map<NamespaceLink, Long> withNull = new EnumMap<>(NamespaceLink.class);
        withNull.put(NamespaceLink.NET, null);
        withNull.put(NamespaceLink.USER, 1L);
        Map<NamespaceLink, Long> copy = LinkInodes.copyOf(withNull);

        assertThat(copy).containsOnlyKeys(NamespaceLink.USER);
        assertThat(LinkInodes.copyOf(Map.of())).isEmpty();
        assertThatThrownBy(() -> copy.put(NamespaceLink.NET, 2L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.entrySet().iterator().next().setValue(3L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void intListIsTheListItReplaces() {
        List<Integer> pids = new ArrayList<>(Arrays.asList(1, 200, 70000, 4194304));

        List<Integer> copy = IntList.copyOf(pids);
        pids.add(5);

        assertThat(copy).containsExactly(1, 200, 70000, 4194304);
        assertThat(copy).isEqualTo(List.of(1, 200, 70000, 4194304)).hasSameHashCodeAs(List.of(1, 200, 70000, 4194304));
        assertThat(List.of(1, 200, 70000, 4194304)).isEqualTo(copy);
        assertThat(copy.contains(70000)).isTrue();
        assertThat(copy.contains(70001)).isFalse();
        assertThat(copy.contains(70000L)).isFalse();
        assertThat(copy.indexOf(4194304)).isEqualTo(3);
        assertThat(copy.get(0)).isEqualTo(1);
        assertThat(IntList.copyOf(copy)).isSameAs(copy);
        assertThat(IntList.copyOf(List.of())).isEmpty();
        assertThatThrownBy(() -> copy.add(6)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> IntList.copyOf(Arrays.asList(1, null))).isInstanceOf(NullPointerException.class);
    }
}
