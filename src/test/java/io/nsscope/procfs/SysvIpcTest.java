package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysvIpcTest {

    private static final String SHM = """
                   key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap
            1850290468          0   644                  4096 10890     0      0     0     0     0     0          0          0 1764387935                     0                     0
                     0          1   600                524288  1201  1301      2  1000  1000  1000  1000 1764387000          0 1764386000                 65536                     0
            """;

    @Test
    void countsTheLinesAfterTheHeader() {
        assertThat(SysvIpc.countEntries(SHM)).isEqualTo(2);
        assertThat(SysvIpc.countEntries(SHM.lines().findFirst().orElseThrow() + "\n"))
                .isZero();
        assertThat(SysvIpc.countEntries("")).isZero();
    }

    @Test
    void readsTheThreeFiles(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("sysvipc"));
        Files.writeString(root.resolve("sysvipc/shm"), SHM);
        Files.writeString(root.resolve("sysvipc/sem"), "       key      semid perms      nsems\n 0 0 600 1\n");
        Files.writeString(root.resolve("sysvipc/msg"), "       key      msqid perms\n");
        assertThat(SysvIpc.read(root)).isEqualTo(new SysvIpc(2, 1, 0));
    }
}
