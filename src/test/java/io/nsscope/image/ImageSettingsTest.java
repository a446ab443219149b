package io.nsscope.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The image's JVM settings, the chart's and the README's are one set, they start this JDK, and the chart's resources
 * are those docs/benchmarks.md derives from its table of costs.
 */
class ImageSettingsTest {

    private static final Path VALUES = Path.of("helm/nsscope/values.yaml");
    private static final Path README = Path.of("README.md");
    private static final Path BENCHMARKS = Path.of("docs/benchmarks.md");
    private static final Path TRAIN_SCRIPT = Path.of("src/main/docker/train.sh");

    private final ImageFiles image = ImageFiles.read();

    @Test
    void theChartRunsTheImagesJvmOptions() throws IOException {
        assertThat(image.javaToolOptions()).isNotEmpty();
        assertThat(values().get("javaOpts")).isEqualTo(image.env().get("JAVA_TOOL_OPTIONS"));
    }

    @Test
    void theJvmOptionsStartThisJdkWithoutAWord() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(image.javaToolOptions());
        command.add("-version");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process java = pb.start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
        // an option this JDK ignores or merely warns about is one an operator would believe in
        assertThat(out.toLowerCase()).doesNotContain("warning", "unrecognized", "ignoring", "obsolete");
    }

    @Test
    void theHeapIsAQuarterOfTheChartsMemoryLimit() throws Exception {
        // Under a limit of less than 504 MiB the JVM's ergonomics ignore MaxRAMPercentage (they take MinRAMPercentage's
        // share, or their 126 MiB default if that is larger), so the options must say both.
        long limitMib = chartMemoryLimitMib();
        String out = javaWithImageOptions("-XX:MaxRAM=" + limitMib + "m", "-XX:+PrintFlagsFinal", "-version");
        Matcher maxHeap = Pattern.compile("\\bMaxHeapSize\\s+=\\s+(\\d+)").matcher(out);
        assertThat(maxHeap.find()).as(out).isTrue();
        assertThat(Long.parseLong(maxHeap.group(1))).isEqualTo(limitMib * 1024 * 1024 / 4);
    }

    @Test
    void theHeapShrinksToItsLiveObjectsAfterAFullCollection() throws Exception {
        // The serial collector touches the whole committed heap (young collections cycle through it, the old
        // generation fills with promoted garbage between full collections), so the heap's share of the RSS is what
        // stays committed; with the JVM's default free ratios (40-70 %) a heap that once grew stays at its maximum.
        long limitMib = chartMemoryLimitMib();
        long liveMib = limitMib / 4 / 3; // about the live objects at 10,000 processes under the chart's limit
        String out = javaWithImageOptions(
                "-XX:MaxRAM=" + limitMib + "m",
                "-cp",
                Path.of("target/test-classes").toString(),
                HeapShrinkProbe.class.getName(),
                String.valueOf(liveMib));
        Matcher committed = Pattern.compile("committed=(\\d+) max=(\\d+)").matcher(out);
        assertThat(committed.find()).as(out).isTrue();
        long max = Long.parseLong(committed.group(2));
        // live + at most 20 % free in the old generation, plus a young generation sized from it: well under the max
        assertThat(Long.parseLong(committed.group(1))).as(out).isLessThan(max * 3 / 4);
    }

    /** The chart's {@code resources.limits.memory}, in MiB. */
    private static long chartMemoryLimitMib() throws IOException {
        String limit =
                String.valueOf(((Map<?, ?>) ((Map<?, ?>) values().get("resources")).get("limits")).get("memory"));
        return Long.parseLong(limit.replace("Mi", ""));
    }

    /** Runs this JVM's java with the image's options and then {@code args}; its output, once it has exited. */
    private String javaWithImageOptions(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(image.javaToolOptions());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process java = pb.start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void theTrainingRunHasTheEntrypointsOptionsSoThatTheCacheIsUsed() {
        List<String> training = image.trainingJava();
        String cache = option(image.entrypoint(), "-XX:AOTCache=");
        assertThat(option(training, "-XX:AOTCacheOutput=")).isEqualTo(cache);
        List<String> atRun = image.entrypoint().stream()
                .filter(o -> o.startsWith("-") && !o.startsWith("-XX:AOTCache="))
                .toList();
        // JVM options must match for the JVM to accept the cache; the training run may add system properties only
        assertThat(training.get(0)).isEqualTo(image.entrypoint().get(0));
        assertThat(training).containsAll(atRun);
        assertThat(training.stream()
                        .filter(o -> o.startsWith("-X") && !o.startsWith("-XX:AOTCacheOutput="))
                        .toList())
                .containsExactlyInAnyOrderElementsOf(
                        atRun.stream().filter(o -> o.startsWith("-X")).toList());
        assertThat(image.entrypoint()).contains("-Dspring.aot.enabled=true");
        assertThat(image.entrypoint().get(image.entrypoint().size() - 1)).isEqualTo(training.get(training.size() - 1));
        // a run that stops at the context's refresh trains neither the scan nor the request path
        assertThat(training).noneMatch(o -> o.startsWith("-Dspring.context.exit"));
    }

    @Test
    void theTrainingRunIsTheCheckedInScriptWithAWorkload() throws IOException {
        List<String> trainer = image.trainer();
        assertThat(trainer).hasSize(2);
        assertThat(trainer.get(0)).isEqualTo("bash");
        // the script the RUN runs is the one in src/main/docker, copied in by the runtime stage
        assertThat(image.copies()).containsEntry(trainer.get(1), TRAIN_SCRIPT.toString());
        String script = Files.readString(TRAIN_SCRIPT);
        assertThat(script)
                .contains("/actuator/health/readiness", "/namespaces?refresh=true", "kill -TERM", "[[ -s $cache ]]");
    }

    @Test
    void theReadmeGivesJavaJarUsersTheSameOptionsInOneLine() throws IOException {
        // -XX:MaxRAM stands for the container's memory limit, which the heap is a share of
        String limit =
                String.valueOf(((Map<?, ?>) ((Map<?, ?>) values().get("resources")).get("limits")).get("memory"));
        assertThat(limit).endsWith("Mi");
        String expected = "MALLOC_ARENA_MAX=" + image.env().get("MALLOC_ARENA_MAX") + " java -XX:MaxRAM="
                + limit.replace("Mi", "m") + " " + String.join(" ", image.javaToolOptions()) + " -jar ";
        Matcher line = Pattern.compile("`(MALLOC_ARENA_MAX=\\S+ java -\\S[^`]*? -jar [^`]+)`")
                .matcher(Files.readString(README));
        assertThat(line.find())
                .as("a `MALLOC_ARENA_MAX=... java ... -jar` line in the README")
                .isTrue();
        assertThat(line.group(1)).startsWith(expected);
    }

    @Test
    void theChartsResourcesAreThoseTheBenchmarkTableGives() throws IOException {
        Matcher stated = Pattern.compile("The chart's resources from this table: requests `cpu: (\\S+)`, "
                        + "`memory: (\\S+)`; limits `memory: (\\S+)`")
                .matcher(Files.readString(BENCHMARKS));
        assertThat(stated.find())
                .as("docs/benchmarks.md states the chart's resources")
                .isTrue();
        Map<?, ?> resources = (Map<?, ?>) values().get("resources");
        Map<?, ?> requests = (Map<?, ?>) resources.get("requests");
        Map<?, ?> limits = (Map<?, ?>) resources.get("limits");
        assertThat(String.valueOf(requests.get("cpu"))).isEqualTo(stated.group(1));
        assertThat(String.valueOf(requests.get("memory"))).isEqualTo(stated.group(2));
        assertThat(String.valueOf(limits.get("memory"))).isEqualTo(stated.group(3));
        assertThat(Files.readString(VALUES)).contains("docs/benchmarks.md");
    }

    private static String option(List<String> argv, String prefix) {
        return argv.stream()
                .filter(o -> o.startsWith(prefix))
                .map(o -> o.substring(prefix.length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + argv));
    }

    private static Map<?, ?> values() throws IOException {
        return new Yaml().load(Files.readString(VALUES));
    }
}
