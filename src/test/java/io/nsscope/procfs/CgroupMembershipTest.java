package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.procfs.CgroupMembership.Entry;
import org.junit.jupiter.api.Test;

class CgroupMembershipTest {

    @Test
    void parsesV1AndV2Lines() {
        CgroupMembership c = CgroupMembership.parse("""
                4:memory:/process_api/80bf
                9:name=systemd:/
                0::/system.slice/docker-3f1c.scope
                """);
        assertThat(c.entries()).containsExactly(new Entry(4, "memory", "/process_api/80bf"),
                new Entry(9, "name=systemd", "/"), new Entry(0, "", "/system.slice/docker-3f1c.scope"));
    }

    @Test
    void aPathMayContainColons() {
        assertThat(CgroupMembership.parse("0::/a:b\n").entries()).containsExactly(new Entry(0, "", "/a:b"));
    }

    @Test
    void rejectsALineWithoutTwoColons() {
        assertThatThrownBy(() -> CgroupMembership.parse("0/\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNamespaceRootIsTheOutsidePathWithoutTheInsideOne() {
        assertThat(CgroupMembership.namespaceRoot("/system.slice/box.scope", "/")).isEqualTo("/system.slice/box.scope");
        assertThat(CgroupMembership.namespaceRoot("/system.slice/box.scope/inner", "/inner"))
                .isEqualTo("/system.slice/box.scope");
        assertThat(CgroupMembership.namespaceRoot("/inner", "/inner")).isEqualTo("/");
        // Moved out of the namespace's root: no root can be derived.
        assertThat(CgroupMembership.namespaceRoot("/other", "/../other")).isNull();
        assertThat(CgroupMembership.namespaceRoot("/ab/c", "/b/c")).isNull();
    }
}
