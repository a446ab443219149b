package io.nsscope.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image's settings as the top-level Dockerfile states them (read the way scripts/bench/cost_report.py reads
 * them): the environment of the runtime stage, the training run's command (the training script, then the java
 * command it runs), the ENTRYPOINT, and what the runtime stage copies from the build context (destination to source).
 */
record ImageFiles(Map<String, String> env, List<String> training, List<String> entrypoint, Map<String, String> copies) {

    static final Path DOCKERFILE = Path.of("Dockerfile");

    static ImageFiles read() {
        try {
            return parse(Files.readString(DOCKERFILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ImageFiles parse(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> training = null;
        List<String> entrypoint = null;
        Map<String, String> copies = new LinkedHashMap<>();
        for (String instruction : instructions(text)) {
            String word = instruction.split("\\s+", 2)[0].toUpperCase();
            String rest = instruction.substring(word.length()).strip();
            switch (word) {
                case "FROM" -> {
                    env.clear(); // only the last stage's
                    copies.clear();
                }
                case "COPY" -> {
                    List<String> args = words(rest);
                    if (args.size() == 2 && !args.get(0).startsWith("--")) {
                        copies.put(args.get(1), args.get(0));
                    }
                }
                case "ENV" -> env.putAll(envValues(rest));
                case "RUN" -> {
                    if (rest.contains("-XX:AOTCacheOutput")) {
                        training = rest.startsWith("[") ? jsonArray(rest) : words(rest);
                    }
                }
                case "ENTRYPOINT" -> entrypoint = jsonArray(rest);
                default -> {}
            }
        }
        if (training == null || entrypoint == null) {
            throw new AssertionError("the Dockerfile has no training run (-XX:AOTCacheOutput) or no ENTRYPOINT");
        }
        return new ImageFiles(Map.copyOf(env), training, entrypoint, Map.copyOf(copies));
    }

    /** The java command of the training run: its arguments from "java" on (before it: the training script). */
    List<String> trainingJava() {
        int java = training.indexOf("java");
        if (java < 0) {
            throw new AssertionError("the training run runs no java command: " + training);
        }
        return training.subList(java, training.size());
    }

    /** What runs the training's java command: the training script, as the Dockerfile runs it (e.g. bash FILE). */
    List<String> trainer() {
        return training.subList(0, training.indexOf("java"));
    }

    /** JAVA_TOOL_OPTIONS, split into options. */
    List<String> javaToolOptions() {
        return words(env.getOrDefault("JAVA_TOOL_OPTIONS", ""));
    }

    private static List<String> instructions(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.strip().startsWith("#") || (current.length() == 0 && line.isBlank())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            out.add(current.toString().strip());
            current.setLength(0);
        }
        return out;
    }

    private static Map<String, String> envValues(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(\"([^\"]*)\"|(\\S+))").matcher(text);
        while (m.find()) {
            values.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
        }
        return values;
    }

    private static List<String> jsonArray(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
    }
}
