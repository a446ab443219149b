package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountinfoTest {

    // From a Debian 12 host after `ip netns add blue` and a bind mount of a pid namespace to a path with a space.
    private static final String TEXT = """
            22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro
            23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
            611 27 0:4 net:[4026532281] /run/netns/blue rw shared:315 - nsfs nsfs rw
            640 22 0:4 pid:[4026532290] /tmp/with\\040space rw master:7 - nsfs nsfs rw
            700 22 0:50 / /mnt/private rw,relatime - tmpfs tmpfs rw,size=1024k
            701 22 0:51 / /mnt/unb rw unbindable - tmpfs none rw
            """;

    @Test
    void parsesEveryField() {
        List<Mountinfo.Mount> mounts = Mountinfo.parse(TEXT).mounts();
        assertThat(mounts).hasSize(6);
        Mountinfo.Mount root = mounts.get(0);
        assertThat(root)
                .isEqualTo(new Mountinfo.Mount(
                        22,
                        1,
                        "254:1",
                        "/",
                        "/",
                        "rw,relatime",
                        List.of("shared:1"),
                        "ext4",
                        "/dev/vda1",
                        "rw,errors=remount-ro"));
        Mountinfo.Mount netns = mounts.get(2);
        assertThat(netns.fsType()).isEqualTo("nsfs");
        assertThat(netns.root()).isEqualTo("net:[4026532281]");
        assertThat(netns.mountPoint()).isEqualTo("/run/netns/blue");
        assertThat(mounts.get(3).mountPoint()).isEqualTo("/tmp/with space");
    }

    @Test
    void propagationAsFindmntNamesIt() {
        List<Mountinfo.Mount> mounts = Mountinfo.parse(TEXT).mounts();
        assertThat(mounts.get(0).propagation()).isEqualTo("shared");
        assertThat(mounts.get(3).propagation()).isEqualTo("private,slave");
        assertThat(mounts.get(4).propagation()).isEqualTo("private");
        assertThat(mounts.get(5).propagation()).isEqualTo("unbindable");
    }

    @Test
    void unescapesOnlyOctalTriples() {
        assertThat(Mountinfo.unescape("a\\134b\\011c\\012")).isEqualTo("a\\b\tc\n");
        assertThat(Mountinfo.unescape("a\\9x\\01")).isEqualTo("a\\9x\\01");
    }

    @Test
    void aLineWithoutSeparatorIsMalformed() {
        assertThatThrownBy(() -> Mountinfo.parse("22 1 254:1 / / rw shared:1 ext4 /dev/vda1 rw\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
