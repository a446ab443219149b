package io.nsscope.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** helm/nsscope rendered with Helm's own code (helm-java), as parsed Kubernetes objects. */
final class Chart {

    static final Path DIR = Path.of("helm/nsscope");
    static final Path ALL_OPTIONS = Path.of("src/test/resources/helm/all-options.yaml");

    private final List<Map<String, Object>> objects;

    private Chart(List<Map<String, Object>> objects) {
        this.objects = objects;
    }

    /** Renders the chart as release "nsscope" in namespace "monitoring", with the values files and settings given. */
    static Chart render(List<Path> valuesFiles, Map<String, Object> set) {
        TemplateCommand template = new Helm(DIR).template().withName("nsscope").withNamespace("monitoring");
        valuesFiles.forEach(template::withValuesFile);
        set.forEach(template::set);
        String yaml = template.call();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc != null) {
                objects.add(map(doc));
            }
        }
        return new Chart(objects);
    }

    static Chart defaults() {
        return render(List.of(), Map.of());
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    /** The nsscope container of the DaemonSet. */
    Map<String, Object> container() {
        return map(list(at(one("DaemonSet"), "spec", "template", "spec", "containers"))
                .get(0));
    }

    /** The container's environment as name → value (or the valueFrom map). */
    Map<String, Object> env() {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        for (Object e : list(container().get("env"))) {
            Map<String, Object> var = map(e);
            env.put((String) var.get("name"), var.containsKey("value") ? var.get("value") : var.get("valueFrom"));
        }
        return env;
    }

    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = current == null ? null : map(current).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
