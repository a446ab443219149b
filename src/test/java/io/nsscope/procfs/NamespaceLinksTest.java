package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.namespace.NamespaceLink;
import org.junit.jupiter.api.Test;

class NamespaceLinksTest {

    @Test
    void parsesTheInodeOfALinkTarget() {
        assertThat(NamespaceLinks.parseTarget(NamespaceLink.NET, "net:[4026531992]"))
                .isEqualTo(4026531992L);
        assertThat(NamespaceLinks.parseTarget(NamespaceLink.PID_FOR_CHILDREN, "pid:[4026532342]"))
                .isEqualTo(4026532342L);
    }

    @Test
    void inodesBeyondIntRangeAreKept() {
        assertThat(NamespaceLinks.parseTarget(NamespaceLink.MNT, "mnt:[9999999999]"))
                .isEqualTo(9_999_999_999L);
    }

    @Test
    void rejectsATargetOfAnotherType() {
        assertThatThrownBy(() -> NamespaceLinks.parseTarget(NamespaceLink.NET, "pid:[4026531836]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamespaceLinks.parseTarget(NamespaceLink.NET, "net:4026531836"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
