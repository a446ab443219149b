package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.namespace.IdRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** What a sandbox request may ask, field by field; needs no root (nothing starts). */
class SpecValidatorTest {

    private static final UidPool POOL = new UidPool(200000, 265535);

    static SpecValidator validator(SandboxCgroups cgroups, String... allowed) {
        return requiring("", cgroups, allowed);
    }

    private static SpecValidator requiring(String required, SandboxCgroups cgroups, String... allowed) {
        NsscopeProperties props = new Binder(new MapConfigurationPropertySource(Map.of(
                        "nsscope.sandbox.allowed-executables",
                        String.join(",", allowed),
                        "nsscope.sandbox.required-namespaces",
                        required)))
                .bindOrCreate("nsscope", NsscopeProperties.class);
        return new SpecValidator(props.sandbox(), POOL, cgroups);
    }

    @Test
    void theOperatorsRequiredNamespacesCannotBeDropped() {
        SpecValidator strict =
                requiring("ipc,mnt,net,pid", SandboxCgroups.at(Path.of("/nonexistent"), Map.of()), "/bin/*");
        SandboxSpec noNet = new SandboxSpec(
                Sandboxes.types("ipc", "mnt", "pid", "uts"), List.of("/bin/true"), null, null, null, null, null, null);
        assertThatThrownBy(() -> strict.validate(noNet)).isInstanceOfSatisfying(SandboxRequestException.class, e -> {
            assertThat(e.field()).isEqualTo("namespaces");
            assertThat(e.getMessage()).contains("add \"net\"");
        });
        SandboxSpec all = new SandboxSpec(
                Sandboxes.types("ipc", "mnt", "net", "pid"), List.of("/bin/true"), null, null, null, null, null, null);
        assertThatCode(() -> strict.validate(all).close()).doesNotThrowAnyException();
    }

    private static final SpecValidator VALIDATOR =
            validator(SandboxCgroups.at(Path.of("/nonexistent"), Map.of()), "/bin/*", "/usr/bin/*");

    static SandboxSpec spec(UserMapping user, Map<String, String> env, String... command) {
        return new SandboxSpec(
                Sandboxes.types("user", "pid", "mnt"),
                List.of(command),
                null,
                user,
                null,
                null,
                Duration.ofMinutes(1),
                env);
    }

    private static SandboxSpec maps(IdRange... maps) {
        return spec(UserMapping.explicit(List.of(maps)), Map.of(), "/bin/sleep", "1");
    }

    static Stream<Arguments> badMaps() {
        return Stream.of(
                // the found exploit: 2^32 inside and outside, a count that wrapped the sums back into the pool
                Arguments.of(
                        maps(new IdRange(4294967296L, 4294967296L, 9223372032559808513L)), "user.mapping[0].inside"),
                Arguments.of(maps(new IdRange(0, 4294967296L, 1)), "user.mapping[0].outside"),
                Arguments.of(maps(new IdRange(0, 200000, 9223372036854775807L)), "user.mapping[0].count"),
                Arguments.of(maps(new IdRange(0, 200000, 0)), "user.mapping[0].count"),
                Arguments.of(maps(new IdRange(-1, 200000, 1)), "user.mapping[0].inside"),
                Arguments.of(maps(new IdRange(0, -4294967296L + 200000, 1)), "user.mapping[0].outside"),
                Arguments.of(maps(new IdRange(4294967294L, 200000, 2)), "user.mapping[0].count"),
                Arguments.of(maps(new IdRange(0, 0, 1)), "user.mapping[0].outside"), // host root
                Arguments.of(maps(new IdRange(0, 199999, 2)), "user.mapping[0].outside"),
                Arguments.of(maps(new IdRange(0, 265535, 2)), "user.mapping[0].outside"),
                Arguments.of(maps(new IdRange(0, 200000, 10), new IdRange(5, 200100, 1)), "user.mapping[1].inside"),
                Arguments.of(maps(new IdRange(0, 200000, 10), new IdRange(10, 200009, 1)), "user.mapping[1].outside"),
                Arguments.of(maps(), "user.mapping"));
    }

    @ParameterizedTest
    @MethodSource("badMaps")
    void idMapsAreBoundedBeforeAnySumAndLieInThePool(SandboxSpec spec, String field) {
        assertThatThrownBy(() -> VALIDATOR.validate(spec))
                .isInstanceOfSatisfying(
                        SandboxRequestException.class,
                        e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void theWidestMapsThatFitArePassed() {
        assertThatCode(() -> VALIDATOR
                        .validate(maps(new IdRange(4294967294L, 265535, 1)))
                        .close())
                .doesNotThrowAnyException();
        assertThatCode(() ->
                        VALIDATOR.validate(maps(new IdRange(0, 200000, 65536))).close())
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "LD_PRELOAD",
                "LD_LIBRARY_PATH",
                "LD_AUDIT",
                "GCONV_PATH",
                "GLIBC_TUNABLES",
                "LOCPATH",
                "MALLOC_CHECK_",
                "NLSPATH",
                "HOSTALIASES",
                "RES_OPTIONS",
                "TZDIR",
                "NSSCOPE_SANDBOX_ID",
                "1X",
                "A-B"
            })
    void loaderVariablesTheMarkAndBadNamesAreRefused(String name) {
        assertThatThrownBy(() -> VALIDATOR.validate(spec(null, Map.of(name, "x"), "/bin/true")))
                .isInstanceOfSatisfying(
                        SandboxRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("env." + name));
    }

    @Test
    void anEmptyAllowlistLetsNothingRun() {
        SpecValidator none = validator(SandboxCgroups.at(Path.of("/nonexistent"), Map.of()));
        assertThatThrownBy(() -> none.validate(spec(null, Map.of(), "/bin/true")))
                .isInstanceOf(ExecutableNotAllowedException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bin/true", "/bin/../bin/true", "/bin//true", "/bin/./true"})
    void theExecutableIsAnAbsoluteNormalisedPath(String path) {
        assertThatThrownBy(() -> VALIDATOR.validate(spec(null, Map.of(), path)))
                .isInstanceOfSatisfying(
                        SandboxRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("command[0]"));
    }

    @Test
    void theExecutableIsOpenedOnceAndCheckedOnItsDescriptor(@TempDir Path dir) throws Exception {
        try (Executable sleep = VALIDATOR.validate(spec(null, Map.of(), "/bin/sleep", "1"))) {
            assertThat(sleep.path()).isEqualTo("/bin/sleep");
            assertThat(Files.readSymbolicLink(
                                    Path.of("/proc/self/fd/" + sleep.fd().value()))
                            .getFileName())
                    .isEqualTo(Path.of("sleep"));
        }
        // a file someone but root can change: here one of the test's own (as root, a group-writable one)
        Path mine = Files.copy(Path.of("/bin/true"), dir.resolve("true"));
        Files.setPosixFilePermissions(mine, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThatThrownBy(() -> validator(SandboxCgroups.at(dir, Map.of()), dir + "/*")
                        .validate(spec(null, Map.of(), mine.toString())))
                .isInstanceOfSatisfying(
                        SandboxRequestException.class,
                        e -> assertThat(e.getMessage()).contains("writable by nobody"));
    }

    @Test
    void aScriptIsRefusedItsInterpreterIsTheWay() throws Exception {
        Path script;
        try (Stream<Path> bin = Files.list(Path.of("/usr/bin"))) {
            script = bin.filter(Files::isRegularFile)
                    .filter(p -> {
                        try (var in = Files.newInputStream(p)) {
                            return new String(in.readNBytes(2)).equals("#!")
                                    && ((Number) Files.getAttribute(p, "unix:uid")).intValue() == 0
                                    && (((Number) Files.getAttribute(p, "unix:mode")).intValue() & 023) == 01;
                        } catch (Exception e) {
                            return false;
                        }
                    })
                    .findFirst()
                    .orElse(null);
        }
        assumeTrue(script != null, "no root-owned script in /usr/bin");
        assertThatThrownBy(() -> VALIDATOR.validate(spec(null, Map.of(), script.toString())))
                .isInstanceOfSatisfying(
                        SandboxRequestException.class,
                        e -> assertThat(e.getMessage()).contains("not an ELF executable"));
    }

    @Test
    void withoutCgroupsASandboxNeedsAPidNamespace() {
        SpecValidator noCgroups =
                validator(SandboxCgroups.none("no writable cgroup2 file system is mounted"), "/bin/*");
        SandboxSpec noPid = new SandboxSpec(
                Sandboxes.types("uts", "net"), List.of("/bin/true"), null, null, null, null, null, null);
        assertThatThrownBy(() -> noCgroups.validate(noPid)).isInstanceOfSatisfying(SandboxRequestException.class, e -> {
            assertThat(e.field()).isEqualTo("namespaces");
            assertThat(e.getMessage()).contains("no writable cgroup2 file system is mounted");
        });
    }
}
