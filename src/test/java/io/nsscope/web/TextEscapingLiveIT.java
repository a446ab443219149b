package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.web.text.SafeText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SafeText} escapes as {@code lsns} does, checked against lsns itself: a process in a uts namespace of its
 * own, whose argv holds an escape sequence, a tab, a newline, DEL, a C1 control, a backslash-x, bidi and zero-width
 * characters, a line separator, a private-use character and an emoji; its COMMAND cell as lsns prints it (UTF-8
 * locale) must be the escaped text. Root only (unshare -u); skipped otherwise.
 */
class TextEscapingLiveIT {

    /** Everything lsns escapes or keeps, but an invalid UTF-8 byte: a Java string cannot hold one. */
    static final String ARGV0 = "A\u001b[31mred\tTAB\nNL\u007fDEL\u0085NEL\\xBS\u202eRLO\u4e2dZW\u200bX\u00a0NBSP"
            + "\ufffdFFFD\ud83d\ude00EMOJI\u034fCGJ\u2028LS\ue000PUA\ufeffBOM";

    @Test
    void theCommandCellIsLsnsOwn() throws Exception {
        assumeTrue(isRoot(), "skipped: not root: a uts namespace of its own needs root");
        Path lsns = Path.of("../shared/tools/util-linux-2.42.2/lsns");
        if (!Files.isExecutable(lsns)) {
            lsns = Path.of("/usr/bin/lsns");
        }
        assumeTrue(Files.isExecutable(lsns), "skipped: no lsns");
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/unshare")) && Files.isExecutable(Path.of("/bin/bash")),
                "skipped: unshare or bash missing");
        // argv[0] goes through printf's \xHH escapes: Java's own encoding of arguments depends on its locale
        StringBuilder format = new StringBuilder();
        for (byte b : ARGV0.getBytes(StandardCharsets.UTF_8)) {
            format.append(String.format("\\x%02x", b & 0xff));
        }
        Process sleeper = new ProcessBuilder(
                        "/usr/bin/unshare",
                        "-u",
                        "/bin/bash",
                        "-c",
                        "exec -a \"$(printf \"$0\")\" sleep 600",
                        format.toString())
                .redirectErrorStream(true)
                .start();
        try {
            byte[] expected = (ARGV0 + "\0" + "600" + "\0").getBytes(StandardCharsets.UTF_8);
            Path cmdline = Path.of("/proc", Long.toString(sleeper.pid()), "cmdline");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Files.exists(cmdline) && Arrays.equals(Files.readAllBytes(cmdline), expected));
            String cell = commandCell(lsns, sleeper.pid());
            assertThat(cell).isEqualTo(SafeText.escape(ARGV0 + " 600"));
            assertThat(cell).contains("\\x1b[31m", "\\x0a", "\\xc2\\x85", "\\x5cxBS", "\u202e", "\\xe2\\x80\\xa8");
            // and the text views print exactly that cell
            assertThat(LsnsTable.renderMembers(
                            List.of(new MemberView((int) sleeper.pid(), 1, 0, "root", ARGV0 + " 600"))))
                    .contains(" " + cell + "\n");
        } finally {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The COMMAND lsns prints for the process, in a UTF-8 locale. */
    private static String commandCell(Path lsns, long pid) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(lsns.toString(), "-t", "uts", "-n", "-o", "PID,COMMAND");
        builder.environment().put("LC_ALL", "C.UTF-8");
        Process run = builder.redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run.getInputStream().transferTo(out);
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            String[] cells = line.strip().split(" ", 2);
            if (cells.length == 2 && cells[0].equals(Long.toString(pid))) {
                return cells[1];
            }
        }
        throw new AssertionError("lsns did not list " + pid + ":\n" + out.toString(StandardCharsets.UTF_8));
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:"))
                .anyMatch(l -> l.substring(4).trim().split("\\s+")[1].equals("0"));
    }
}
