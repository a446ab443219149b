package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The errno of a failed procfs read comes from the call, never from the text of a message: {@link ErrnoProbe} runs
 * {@link ProcFs} in a JVM of its own under a German C locale (in which the JDK's messages say "Datei oder Verzeichnis
 * nicht gefunden", "Keine Berechtigung", "Das Argument ist ungültig"), and every errno still means what it means:
 * EACCES denied, ENOENT of a live process a missing file, EISDIR an unexpected errno, and a zombie's EINVAL
 * ({@code mountinfo}) and ESRCH ({@code environ}) a vanished process.
 *
 * <p>The locale is the host's {@code de_DE.UTF-8} (or another non-English one) if installed, else made with
 * {@code localedef} from glibc's locale sources into a temporary {@code LOCPATH}; the test is skipped when neither is
 * possible, or when the C library has no translations of its messages. As root, EACCES needs the child without
 * {@code CAP_DAC_OVERRIDE}: it runs under {@code setpriv --bounding-set -dac_override,-dac_read_search}.
 */
class ProcFsErrnoUnderLocaleTest {

    private static final List<String> CANDIDATES = List.of("de_DE", "fr_FR", "es_ES", "it_IT");

    @TempDir
    Path tmp;

    @Test
    void errnoIsReadFromTheCallUnderAGermanLocale() throws Exception {
        Map<String, String> env = locale().orElse(null);
        assumeTrue(env != null, "no non-English locale installed, and none can be made with localedef");
        Path root = fakeProcfs();
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            Optional<Path> setpriv = tool("setpriv");
            assumeTrue(setpriv.isPresent(), "root reads any file: EACCES needs setpriv(1) to drop CAP_DAC_OVERRIDE");
            command.addAll(List.of(setpriv.get().toString(), "--bounding-set", "-dac_override,-dac_read_search"));
        }
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(
                List.of("-cp", System.getProperty("java.class.path"), ErrnoProbe.class.getName(), root.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Path out = tmp.resolve("probe.out");
        Process probe = builder.redirectOutput(out.toFile()).start();
        assertThat(probe.waitFor(120, TimeUnit.SECONDS))
                .as("the probe finished")
                .isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(probe.exitValue()).as(text).isZero();
        Map<String, String> answers = new LinkedHashMap<>();
        text.lines()
                .filter(l -> l.contains("="))
                .forEach(l -> answers.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));

        String message = answers.get("jdk-message");
        assumeTrue(
                message != null && !message.contains("No such file or directory"),
                "the C library has no translation of its messages for " + env + ": " + message);
        assertThat(answers)
                .containsEntry("denied", "AccessDeniedException")
                .containsEntry("eisdir", "ProcfsReadException:21")
                .containsEntry("missing-process", "ProcessVanishedException")
                .containsEntry("missing-file", "NoSuchFileException")
                .containsEntry("zombie-mountinfo", "ProcessVanishedException")
                .containsEntry("zombie-environ", "ProcessVanishedException")
                .containsEntry("zombie-ns-net", "NoSuchFileException")
                .containsEntry("zombie-stat", "ok:Z");
    }

    /** PID 77: a live process's stat, a cmdline nobody may read, a status that is a directory. */
    private Path fakeProcfs() throws IOException {
        Path pid = Files.createDirectories(tmp.resolve("proc/77"));
        Files.writeString(
                pid.resolve("stat"),
                "77 (probe) S 1 77 77 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0 "
                        + "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
        Files.writeString(pid.resolve("cmdline"), "probe\0");
        Files.setPosixFilePermissions(pid.resolve("cmdline"), PosixFilePermissions.fromString("---------"));
        Files.createDirectories(pid.resolve("status"));
        return tmp.resolve("proc");
    }

    /** The environment of a non-English UTF-8 locale: installed, or made with localedef into a LOCPATH. */
    private Optional<Map<String, String>> locale() throws Exception {
        String installed = run("locale", "-a").orElse("");
        for (String candidate : CANDIDATES) {
            for (String line : installed.split("\n")) {
                if (line.equalsIgnoreCase(candidate + ".utf8") || line.equalsIgnoreCase(candidate + ".UTF-8")) {
                    return Optional.of(Map.of("LANG", line, "LC_ALL", line, "LANGUAGE", ""));
                }
            }
        }
        Path locales = tmp.resolve("locales");
        Files.createDirectories(locales);
        for (String candidate : CANDIDATES) {
            if (Files.exists(Path.of("/usr/share/i18n/locales", candidate))
                    && run(
                                    "localedef",
                                    "-i",
                                    candidate,
                                    "-f",
                                    "UTF-8",
                                    locales.resolve(candidate + ".UTF-8").toString())
                            .isPresent()) {
                return Optional.of(Map.of(
                        "LOCPATH",
                        locales.toString(),
                        "LANG",
                        candidate + ".UTF-8",
                        "LC_ALL",
                        candidate + ".UTF-8",
                        "LANGUAGE",
                        ""));
            }
        }
        return Optional.empty();
    }

    /** A command's output if it ran and succeeded. */
    private Optional<String> run(String... command) throws InterruptedException {
        if (tool(command[0]).isEmpty()) {
            return Optional.empty();
        }
        try {
            Path out = Files.createTempFile(tmp, "run", ".out");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(Files.readString(out)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> tool(String name) {
        for (String dir : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:"))
                .anyMatch(l -> l.split("\\s+")[2].equals("0"));
    }
}
