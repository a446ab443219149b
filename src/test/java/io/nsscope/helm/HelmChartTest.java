package io.nsscope.helm;

import static io.nsscope.helm.Chart.at;
import static io.nsscope.helm.Chart.list;
import static io.nsscope.helm.Chart.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm/nsscope: lint, and what it renders with the default values and with every option on. */
class HelmChartTest {

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = new Helm(Chart.DIR).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void aHostLevelDaemonSetThatReadsTheNodesProc() {
        Chart chart = Chart.defaults();
        Map<String, Object> pod = map(at(chart.one("DaemonSet"), "spec", "template", "spec"));
        assertThat(pod.get("hostPID")).isEqualTo(true);
        assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(list(pod.get("tolerations"))).containsExactly(Map.of("operator", "Exists"));
        assertThat(at(chart.one("DaemonSet"), "spec", "updateStrategy", "type")).isEqualTo("RollingUpdate");
        assertThat(list(pod.get("volumes")))
                .contains(Map.of("name", "host-proc", "hostPath", Map.of("path", "/proc", "type", "Directory")));
        Map<String, Object> container = chart.container();
        assertThat(list(container.get("volumeMounts")))
                .contains(
                        Map.of("name", "host-proc", "mountPath", "/host/proc", "readOnly", true),
                        Map.of("name", "tmp", "mountPath", "/tmp"));
        Map<String, Object> env = chart.env();
        assertThat(env)
                .containsEntry("NSSCOPE_PROCFS_ROOT", "/host/proc")
                .containsEntry("NSSCOPE_NODE_NAME", Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName")))
                .containsEntry("SERVER_PORT", "8080")
                .doesNotContainKey("NSSCOPE_SANDBOX_ENABLED");
    }

    @Test
    void onlyTheCapabilitiesTheReadSideNeeds() {
        Map<String, Object> security = map(Chart.defaults().container().get("securityContext"));
        assertThat(at(security, "capabilities", "drop")).isEqualTo(List.of("ALL"));
        assertThat(list(at(security, "capabilities", "add"))).containsExactly("SYS_PTRACE", "DAC_READ_SEARCH");
        assertThat(security)
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("privileged", false);
    }

    @Test
    void privilegedDetailsAddCapSysAdminAndNothingElse() {
        Map<String, Object> security = map(Chart.render(List.of(), Map.of("details.privileged", true))
                .container()
                .get("securityContext"));
        assertThat(list(at(security, "capabilities", "add")))
                .containsExactly("SYS_PTRACE", "DAC_READ_SEARCH", "SYS_ADMIN");
        assertThat(security).containsEntry("allowPrivilegeEscalation", false).containsEntry("privileged", false);
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("details.privileged", "yes")))
                .hasMessageContaining("privileged");
    }

    @Test
    void livenessOnTheTcpPortReadinessOnActuator() {
        Map<String, Object> container = Chart.defaults().container();
        assertThat(list(container.get("ports")))
                .containsExactly(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"));
        // liveness is a TCP connect, which a thread-starved agent still accepts (docs/security.md, slow clients);
        // readiness asks the application
        assertThat(map(container.get("livenessProbe")))
                .containsEntry("tcpSocket", Map.of("port", "http"))
                .doesNotContainKeys("httpGet", "exec", "grpc");
        assertThat(map(container.get("readinessProbe")))
                .containsEntry("httpGet", Map.of("path", "/actuator/health/readiness", "port", "http"))
                .doesNotContainKeys("tcpSocket", "exec", "grpc");
        assertThat(map(container.get("resources"))).containsKeys("requests", "limits");
    }

    @Test
    void defaultsMakeNoMonitorsOrSecretsAndAdmitNobody() {
        Chart chart = Chart.defaults();
        assertThat(chart.all("ServiceMonitor")).isEmpty();
        assertThat(chart.all("PodMonitor")).isEmpty();
        assertThat(chart.all("Secret")).isEmpty();
        Map<String, Object> policy = map(chart.one("NetworkPolicy").get("spec"));
        assertThat(policy.get("policyTypes")).isEqualTo(List.of("Ingress"));
        assertThat(at(policy, "podSelector", "matchLabels"))
                .isEqualTo(Map.of("app.kubernetes.io/name", "nsscope", "app.kubernetes.io/instance", "nsscope"));
        // no rule at all: a rule with an empty `from` would admit every source
        assertThat(list(policy.get("ingress"))).isEmpty();
        assertThat(at(chart.one("Service"), "spec", "type")).isEqualTo("ClusterIP");
        assertThat(list(at(chart.one("Service"), "spec", "ports")))
                .containsExactly(Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"));
        assertThat(chart.one("ServiceAccount").get("automountServiceAccountToken"))
                .isEqualTo(false);
        Map<String, Object> labels = map(at(chart.one("DaemonSet"), "metadata", "labels"));
        assertThat(labels)
                .containsKeys(
                        "app.kubernetes.io/name",
                        "app.kubernetes.io/instance",
                        "app.kubernetes.io/version",
                        "app.kubernetes.io/managed-by",
                        "helm.sh/chart");
        // every interface in the pod (the application alone listens on 127.0.0.1), and no token unless asked
        assertThat(chart.env()).containsEntry("SERVER_ADDRESS", "0.0.0.0").doesNotContainKey("NSSCOPE_API_TOKEN_FILE");
    }

    @Test
    void anEmptyFromAdmitsNobodyAndAListAdmitsOnlyItsPeers(@TempDir Path dir) throws Exception {
        Path emptyFrom = Files.writeString(dir.resolve("empty.yaml"), "networkPolicy:\n  enabled: true\n  from: []\n");
        assertThat(list(at(Chart.render(List.of(emptyFrom), Map.of()).one("NetworkPolicy"), "spec", "ingress")))
                .isEmpty();
        Map<String, Object> monitoring =
                Map.of("namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")));
        Chart listed = Chart.render(List.of(Chart.ALL_OPTIONS), Map.of());
        List<Object> rules = list(at(listed.one("NetworkPolicy"), "spec", "ingress"));
        assertThat(rules)
                .containsExactly(Map.of(
                        "ports", List.of(Map.of("port", "http", "protocol", "TCP")), "from", List.of(monitoring)));
        assertThat(Chart.render(List.of(), Map.of("networkPolicy.enabled", false))
                        .all("NetworkPolicy"))
                .isEmpty();
        // an empty peer ({}) is no way to name a scraper; the schema refuses it
        Path emptyPeer = Files.writeString(dir.resolve("peer.yaml"), "networkPolicy:\n  from:\n    - {}\n");
        assertThatThrownBy(() -> Chart.render(List.of(emptyPeer), Map.of())).hasMessageContaining("from");
    }

    @Test
    void theApiTokenComesFromASecret() {
        String token = "api-token-0123456789abcdef0123456789";
        Chart made = Chart.render(List.of(), Map.of("api.token", token));
        Map<String, Object> secret = made.one("Secret");
        assertThat(at(secret, "metadata", "name")).isEqualTo("nsscope-api");
        assertThat(new String(
                        java.util.Base64.getDecoder().decode((String) at(secret, "data", "token")),
                        java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(token);
        assertThat(made.env())
                .containsEntry("NSSCOPE_API_TOKEN_FILE", "/etc/nsscope/api/token")
                .doesNotContainKey("NSSCOPE_API_TOKEN");
        assertThat(list(made.container().get("volumeMounts")))
                .contains(Map.of("name", "api-token", "mountPath", "/etc/nsscope/api", "readOnly", true));
        assertThat(list(at(made.one("DaemonSet"), "spec", "template", "spec", "volumes")))
                .contains(
                        Map.of("name", "api-token", "secret", Map.of("secretName", "nsscope-api", "defaultMode", 256)));
        // the token itself is in the Secret only, never in the pod spec
        assertThat(made.one("DaemonSet").toString()).doesNotContain(token);

        Chart existing = Chart.render(List.of(), Map.of("api.existingSecret", "reader-token", "api.secretKey", "t"));
        assertThat(existing.all("Secret")).isEmpty();
        assertThat(existing.env()).containsEntry("NSSCOPE_API_TOKEN_FILE", "/etc/nsscope/api/t");
        assertThat(list(at(existing.one("DaemonSet"), "spec", "template", "spec", "volumes")))
                .anySatisfy(v -> assertThat(at(v, "secret", "secretName")).isEqualTo("reader-token"));

        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("api.token", "short")))
                .hasMessageContaining("api.token");
    }

    @Test
    void theMonitorsPresentTheApiToken() {
        Chart chart = Chart.render(List.of(Chart.ALL_OPTIONS), Map.of());
        Map<String, Object> bearer =
                Map.of("type", "Bearer", "credentials", Map.of("name", "nsscope-api", "key", "token"));
        assertThat(map(list(at(chart.one("ServiceMonitor"), "spec", "endpoints"))
                        .get(0)))
                .containsEntry("authorization", bearer);
        assertThat(map(list(at(chart.one("PodMonitor"), "spec", "podMetricsEndpoints"))
                        .get(0)))
                .containsEntry("authorization", bearer);
        Chart open = Chart.render(List.of(), Map.of("serviceMonitor.enabled", true));
        assertThat(map(list(at(open.one("ServiceMonitor"), "spec", "endpoints")).get(0)))
                .doesNotContainKey("authorization");
    }

    @Test
    void everyOptionOn() {
        Chart chart = Chart.render(List.of(Chart.ALL_OPTIONS), Map.of());
        Map<String, Object> pod = map(at(chart.one("DaemonSet"), "spec", "template", "spec"));
        assertThat(pod)
                .containsEntry("priorityClassName", "system-node-critical")
                .containsEntry("serviceAccountName", "nsscope-agent")
                .containsEntry("nodeSelector", Map.of("kubernetes.io/os", "linux"))
                .containsKey("affinity");
        Map<String, Object> container = chart.container();
        assertThat(container.get("image")).isEqualTo("registry.example/nsscope:9.9.9");
        assertThat(list(container.get("args"))).containsExactly("--nsscope.events.max-subscribers=8");
        assertThat(chart.env())
                .containsEntry("NSSCOPE_PROCFS_ROOT", "/node/proc")
                .containsEntry("SERVER_PORT", "9090")
                .containsEntry("NSSCOPE_METRICS_PER_NAMESPACE", "true")
                .containsEntry("NSSCOPE_SANDBOX_ENABLED", "true")
                .containsEntry("NSSCOPE_SANDBOX_TOKEN_FILE", "/etc/nsscope/sandbox/token")
                .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        Map<String, Object> security = map(container.get("securityContext"));
        assertThat(list(at(security, "capabilities", "add")))
                .containsExactly(
                        "SYS_PTRACE",
                        "DAC_READ_SEARCH",
                        "SYS_ADMIN",
                        "SETUID",
                        "SETGID",
                        "KILL",
                        "SETPCAP",
                        "SYS_TIME",
                        "DAC_OVERRIDE");
        assertThat(security).containsEntry("allowPrivilegeEscalation", true);
        assertThat(chart.all("Secret"))
                .extracting(o -> at(o, "metadata", "name"))
                .containsExactlyInAnyOrder("nsscope-sandbox", "nsscope-api");
        assertThat(chart.env())
                .containsEntry("SERVER_ADDRESS", "::")
                .containsEntry("NSSCOPE_API_TOKEN_FILE", "/etc/nsscope/api/token");
        Map<String, Object> endpoint =
                map(list(at(chart.one("ServiceMonitor"), "spec", "endpoints")).get(0));
        assertThat(endpoint)
                .containsEntry("port", "http")
                .containsEntry("path", "/actuator/prometheus")
                .containsEntry("interval", "15s");
        assertThat(at(chart.one("ServiceMonitor"), "metadata", "labels", "release"))
                .isEqualTo("prometheus");
        assertThat(map(list(at(chart.one("PodMonitor"), "spec", "podMetricsEndpoints"))
                        .get(0)))
                .containsEntry("path", "/actuator/prometheus");
        assertThat(list(at(chart.one("NetworkPolicy"), "spec", "ingress"))).hasSize(1);
        assertThat(list(at(chart.one("Service"), "spec", "ports")).get(0))
                .isEqualTo(Map.of("name", "http", "port", 80, "targetPort", "http", "protocol", "TCP"));
    }

    @Test
    void theSandboxNeedsAToken() {
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("sandbox.enabled", true)))
                .hasMessageContaining("sandbox.existingSecret");
        Chart chart = Chart.render(List.of(), Map.of("sandbox.enabled", true, "sandbox.existingSecret", "mine"));
        assertThat(chart.all("Secret")).isEmpty();
        assertThat(list(at(chart.one("DaemonSet"), "spec", "template", "spec", "volumes")))
                .anySatisfy(v -> assertThat(at(v, "secret", "secretName")).isEqualTo("mine"));
    }

    @Test
    void theSchemaRejectsWrongTypes() {
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("port", "http")))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("scan.interval", "often")))
                .hasMessageContaining("interval");
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("nosuchvalue", 1)))
                .hasMessageContaining("nosuchvalue");
    }
}
