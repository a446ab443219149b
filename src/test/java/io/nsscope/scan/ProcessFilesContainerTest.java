package io.nsscope.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.process.Container;
import io.nsscope.procfs.ProcCgroup;
import io.nsscope.procfs.ProcFs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container of a {@code cgroup} text, which a scan parses once per distinct text. */
class ProcessFilesContainerTest {

    private static final String ID = "d0b3604b67ac7930dd34ba3a796627e3e4717d12309e90a4afe3f38b6816ac98";
    private static final String DOCKER_V2 = "0::/system.slice/docker-" + ID + ".scope\n";
    private static final String DOCKER_V1 = "4:memory:/docker/" + ID + "\n1:name=systemd:/system.slice/docker-" + ID
            + ".scope\n0::/system.slice/docker-" + ID + ".scope\n";
    private static final String SERVICE = "0::/system.slice/ssh.service\n";
    private static final String NONE = "0::/\n";

    @TempDir
    Path tmp;

    private static Container parsed(String text) {
        return Container.fromCgroupPaths(ProcCgroup.parse(text).paths());
    }

    @Test
    void tellsWhatParsingTheTextTells() {
        ProcessFiles files = new ProcessFiles(new ProcFs(tmp));
        for (String text : new String[] {DOCKER_V2, DOCKER_V1, SERVICE, NONE, "", DOCKER_V2, NONE}) {
            assertThat(files.container(text)).as(text).isEqualTo(parsed(text));
        }
        assertThat(files.container(DOCKER_V2).runtime()).isEqualTo("docker");
        assertThat(files.container(NONE)).isNull();
    }

    @Test
    void processesInOneCgroupShareOneContainer() {
        ProcessFiles files = new ProcessFiles(new ProcFs(tmp));
        // a text read again is a new String with the same characters, as each process's file is
        assertThat(files.container(new String(DOCKER_V2))).isSameAs(files.container(new String(DOCKER_V2)));
    }

    @Test
    void moreDistinctTextsThanItKeepsAreStillToldRight() {
        ProcessFiles files = new ProcessFiles(new ProcFs(tmp));
        for (int i = 0; i < ProcessFiles.CGROUP_TEXTS * 2 + 3; i++) {
            String text = "0::/system.slice/docker-" + String.format("%064x", i) + ".scope\n";
            assertThat(files.container(text).containerId()).isEqualTo(String.format("%064x", i));
        }
        assertThat(files.container(DOCKER_V1)).isEqualTo(parsed(DOCKER_V1));
    }
}
