package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executable checks that need another user's file to show, as root (skipped otherwise). */
class ExecutableLiveIT {

    @BeforeEach
    void root() {
        assumeTrue(Sandboxes.isRoot(), "giving a directory to another user needs root");
    }

    @Test
    void aSymbolicLinkInADirectorySomeoneElseOwnsIsRefused(@TempDir Path dir) throws Exception {
        // the directory's owner could point the link anywhere between two requests: an allowlist entry there
        // would run any root-owned binary
        Path tools = Files.createDirectory(dir.resolve("tools"));
        Files.createSymbolicLink(tools.resolve("tool"), Path.of("/usr/bin/id"));
        Files.setAttribute(tools, "unix:uid", 65534);
        assertThatThrownBy(() -> SpecValidatorTest.validator(SandboxCgroups.at(dir, Map.of()), tools + "/*")
                        .validate(SpecValidatorTest.spec(
                                null, Map.of(), tools.resolve("tool").toString())))
                .isInstanceOfSatisfying(
                        SandboxRequestException.class,
                        e -> assertThat(e.getMessage()).contains("someone besides root can change"));
        Files.setAttribute(tools, "unix:uid", 0);
        assertThatCode(() -> SpecValidatorTest.validator(SandboxCgroups.at(dir, Map.of()), tools + "/*")
                        .validate(SpecValidatorTest.spec(
                                null, Map.of(), tools.resolve("tool").toString()))
                        .close())
                .doesNotThrowAnyException();
    }
}
