package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CmdlineTest {

    @Test
    void splitsOnNul() {
        assertThat(Cmdline.parse("/bin/sleep\u0000600\0").args()).containsExactly("/bin/sleep", "600");
    }

    @Test
    void kernelThreadsHaveNoArguments() {
        assertThat(Cmdline.parse("").args()).isEmpty();
    }

    @Test
    void rewrittenArgumentsWithoutNulAreOneArgument() {
        assertThat(Cmdline.parse("nginx: worker process").args()).containsExactly("nginx: worker process");
    }

    @Test
    void lsnsCommandJoinsArgumentsWithSpaces() {
        assertThat(Cmdline.lsnsCommand("/bin/sleep\u0000600\0", "sleep")).isEqualTo("/bin/sleep 600");
    }

    @Test
    void lsnsCommandFallsBackToCommForAnEmptyCmdline() {
        assertThat(Cmdline.lsnsCommand("", "kthreadd")).isEqualTo("kthreadd");
    }

    @Test
    void lsnsCommandDropsTheLastByteAsLsnsDoes() {
        // lsns turns every NUL into a space and cuts the last byte: padding NULs become trailing spaces,
        // and a rewritten cmdline with no trailing NUL loses its last character.
        assertThat(Cmdline.lsnsCommand("init [3]\0\0\0", "init")).isEqualTo("init [3]  ");
        assertThat(Cmdline.lsnsCommand("nginx: worker process", "nginx")).isEqualTo("nginx: worker proces");
    }

    @Test
    void lsnsCommandReadsAtMostBufsiz() {
        String longArg = "x".repeat(10_000);
        assertThat(Cmdline.lsnsCommand(longArg + "\0", "x")).hasSize(8191);
    }
}
