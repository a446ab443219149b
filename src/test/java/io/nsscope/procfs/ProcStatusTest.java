package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void parsesNspidAcrossNestedPidNamespaces() {
        ProcStatus status = ProcStatus.parse("""
                Name:\tinit
                Umask:\t0022
                State:\tS (sleeping)
                Tgid:\t5438
                Ngid:\t0
                Pid:\t5438
                PPid:\t5431
                Uid:\t0\t0\t0\t0
                Gid:\t0\t0\t0\t0
                NStgid:\t5438\t1
                NSpid:\t5438\t1
                NSpgid:\t5438\t1
                Threads:\t1
                """);
        assertThat(status.name()).isEqualTo("init");
        assertThat(status.tgid()).isEqualTo(5438);
        assertThat(status.ppid()).isEqualTo(5431);
        assertThat(status.uids()).containsExactly(0, 0, 0, 0);
        assertThat(status.nspid()).containsExactly(5438, 1);
    }

    @Test
    void olderKernelsHaveNoNspid() {
        ProcStatus status = ProcStatus.parse("Name:\tbash\nPid:\t7\nUid:\t1000\t1000\t1000\t1000\n");
        assertThat(status.nspid()).isEmpty();
        assertThat(status.uids()).isEqualTo(List.of(1000, 1000, 1000, 1000));
    }

    @Test
    void nameWithColonAndSpacesIsKeptWhole() {
        assertThat(ProcStatus.parse("Name:\tmemfd:sealed 91\nNSpid:\t12\n").name())
                .isEqualTo("memfd:sealed 91");
    }
}
