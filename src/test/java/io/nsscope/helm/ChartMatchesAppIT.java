package io.nsscope.helm;

import static io.nsscope.helm.Chart.at;
import static io.nsscope.helm.Chart.list;
import static io.nsscope.helm.Chart.map;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.testing.FixtureServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The chart and the application cannot drift apart: the probe and scrape paths the chart names are served by the
 * running application, its port is the application's, and every environment variable it sets binds to the property
 * it is meant for.
 */
class ChartMatchesAppIT extends FixtureServer {

    @Test
    void theProbesAreAnswered() {
        Map<String, Object> container = Chart.defaults().container();
        String path = (String) at(container, "readinessProbe", "httpGet", "path");
        given().get(path).then().statusCode(200);
        // liveness connects to the container's port of that name, the application's (theChartsPortIs...)
        Object port = at(container, "livenessProbe", "tcpSocket", "port");
        assertThat(list(container.get("ports")))
                .anySatisfy(p -> assertThat(map(p)).containsEntry("name", port));
    }

    @Test
    void theScrapePathIsServed() {
        Chart chart = Chart.render(List.of(Chart.ALL_OPTIONS), Map.of());
        String path = (String)
                map(list(at(chart.one("ServiceMonitor"), "spec", "endpoints")).get(0))
                        .get("path");
        given().get(path).then().statusCode(200).body(containsString("nsscope_namespaces"));
    }

    @Test
    void theChartsPortIsTheApplicationsDefault() throws Exception {
        List<PropertySource<?>> yaml =
                new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
        Object appPort = yaml.get(0).getProperty("server.port");
        Object chartPort =
                map(list(Chart.defaults().container().get("ports")).get(0)).get("containerPort");
        assertThat(chartPort).isEqualTo(appPort);
    }

    @Test
    void everyEnvironmentVariableBindsToItsProperty() throws Exception {
        for (List<Path> values : List.of(List.<Path>of(), List.of(Chart.ALL_OPTIONS))) {
            Map<String, Object> env = new HashMap<>();
            Chart.render(values, Map.of())
                    .env()
                    .forEach((name, value) -> env.put(name, value instanceof String s ? s : "node-from-field-ref"));
            StandardEnvironment environment = new StandardEnvironment();
            environment
                    .getPropertySources()
                    .addFirst(new SystemEnvironmentPropertySource(
                            "chart-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
            Binder binder = new Binder(ConfigurationPropertySources.from(environment.getPropertySources()));
            NsscopeProperties p = binder.bindOrCreate("nsscope", NsscopeProperties.class);
            assertThat(p.procfs().root()).isEqualTo(Path.of((String) env.get("NSSCOPE_PROCFS_ROOT")));
            assertThat(p.nodeName()).isEqualTo("node-from-field-ref");
            assertThat(p.scan().interval()).isEqualTo(Duration.parse("PT" + env.get("NSSCOPE_SCAN_INTERVAL")));
            assertThat(p.scan().parallelism())
                    .isEqualTo(Integer.parseInt((String) env.get("NSSCOPE_SCAN_PARALLELISM")));
            assertThat(p.metrics().perNamespace())
                    .isEqualTo(Boolean.parseBoolean((String) env.get("NSSCOPE_METRICS_PER_NAMESPACE")));
            assertThat(p.sandbox().enabled()).isEqualTo(env.containsKey("NSSCOPE_SANDBOX_ENABLED"));
            if (env.containsKey("NSSCOPE_SANDBOX_TOKEN_FILE")) {
                assertThat(p.sandbox().tokenFile()).isEqualTo(Path.of((String) env.get("NSSCOPE_SANDBOX_TOKEN_FILE")));
                assertThat(String.join(",", p.sandbox().allowedExecutables()))
                        .isEqualTo(env.get("NSSCOPE_SANDBOX_ALLOWED_EXECUTABLES"));
                assertThat(p.sandbox().uidPool()).isEqualTo(env.get("NSSCOPE_SANDBOX_UID_POOL"));
                assertThat(p.sandbox().cgroup().pidsMax())
                        .isEqualTo(Integer.parseInt((String) env.get("NSSCOPE_SANDBOX_CGROUP_PIDS_MAX")));
                assertThat(p.sandbox().cgroup().memoryMax())
                        .isEqualTo(org.springframework.util.unit.DataSize.parse(
                                (String) env.get("NSSCOPE_SANDBOX_CGROUP_MEMORY_MAX")));
                assertThat(p.sandbox().cgroup().cpuMax()).isEqualTo(env.get("NSSCOPE_SANDBOX_CGROUP_CPU_MAX"));
                if (env.containsKey("NSSCOPE_SANDBOX_CGROUP_PARENT")) {
                    assertThat(p.sandbox().cgroup().parent())
                            .isEqualTo(Path.of((String) env.get("NSSCOPE_SANDBOX_CGROUP_PARENT")));
                }
            }
            assertThat(binder.bind("server.port", Integer.class).get())
                    .isEqualTo(Integer.parseInt((String) env.get("SERVER_PORT")));
            assertThat(binder.bind("server.address", java.net.InetAddress.class).get())
                    .isEqualTo(java.net.InetAddress.getByName((String) env.get("SERVER_ADDRESS")));
            if (env.containsKey("NSSCOPE_API_TOKEN_FILE")) {
                assertThat(p.api().tokenFile()).isEqualTo(Path.of((String) env.get("NSSCOPE_API_TOKEN_FILE")));
            }
        }
    }
}
