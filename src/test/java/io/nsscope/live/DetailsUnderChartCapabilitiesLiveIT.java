package io.nsscope.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every detail type of {@code GET /namespaces/{ns}} with nsscope run as the Helm chart deploys it
 * ({@link ServiceAsDeployed}: the packaged jar under {@code setpriv} with the rendered container's capabilities), for
 * namespaces of all eight types ({@link LiveNamespaces}), twice: with the default values (CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH: user, pid, mnt and time details whole, net's interfaces from /proc/PID/net, and uts, ipc and
 * cgroup saying they need CAP_SYS_ADMIN and which chart value grants it) and with {@code details.privileged=true}
 * (everything read, as root reads it).
 *
 * <p>Skipped unless root with setpriv, the tools {@link LiveNamespaces} needs, and the packaged jar ({@code mvn verify}
 * packages it before the integration tests). Both services are stopped and every namespace removed afterwards.
 */
class DetailsUnderChartCapabilitiesLiveIT {

    static LiveNamespaces ns;
    static ServiceAsDeployed chart;
    static ServiceAsDeployed privileged;
    static String skipReason;

    @BeforeAll
    static void start() throws Exception {
        skipReason = LiveNamespaces.unavailable()
                .or(() -> LiveHost.tool("setpriv").isEmpty()
                        ? java.util.Optional.of("setpriv is not installed")
                        : java.util.Optional.empty())
                .or(() -> ServiceAsDeployed.jar().isEmpty()
                        ? java.util.Optional.of("no packaged jar in target/ (run ./mvnw verify, which packages it)")
                        : java.util.Optional.empty())
                .orElse(null);
        if (skipReason != null) {
            return;
        }
        ns = new LiveNamespaces().start();
        Path jar = ServiceAsDeployed.jar().orElseThrow();
        chart = ServiceAsDeployed.start(jar, Map.of());
        privileged = ServiceAsDeployed.start(jar, Map.of("details.privileged", true));
        chart.awaitReady();
        privileged.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (ServiceAsDeployed s : new ServiceAsDeployed[] {chart, privileged}) {
                if (s != null) {
                    s.close();
                }
            }
        } finally {
            if (ns != null) {
                ns.stop();
            }
        }
    }

    @BeforeEach
    void requirements() {
        assumeTrue(skipReason == null, () -> "skipped: " + skipReason);
    }

    private static JsonPath details(ServiceAsDeployed service, String type) throws Exception {
        return service.request()
                .queryParam("refresh", true)
                .get("/namespaces/" + ns.inode(type))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static String text(ServiceAsDeployed service, String type) throws Exception {
        return service.request()
                .accept("text/plain")
                .get("/namespaces/" + ns.inode(type))
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    @Test
    void eachRunsWithExactlyTheCapabilitiesItsChartGrants() throws Exception {
        assertThat(chart.rendered.capabilities()).containsExactly("SYS_PTRACE", "DAC_READ_SEARCH");
        assertThat(privileged.rendered.capabilities()).containsExactly("SYS_PTRACE", "DAC_READ_SEARCH", "SYS_ADMIN");
        for (ServiceAsDeployed s : List.of(chart, privileged)) {
            String mask = String.format("%016x", s.rendered.mask());
            assertThat(s.status("CapEff")).isEqualTo(mask);
            assertThat(s.status("CapBnd")).isEqualTo(mask);
            assertThat(s.status("CapInh")).isEqualTo("0000000000000000");
            assertThat(s.status("NoNewPrivs")).isEqualTo("1");
            assertThat(s.status("Uid")).startsWith("0\t0\t0\t0"); // root in the pod, as the chart runs it
        }
    }

    @Test
    void userPidMntAndTimeAreWholeWithTheChartsCapabilities() throws Exception {
        JsonPath user = details(chart, "user");
        assertThat(user.getInt("details.via")).isEqualTo(ns.pid("user"));
        assertThat(user.getList("details.user.uid_map.outside", Integer.class)).containsExactly(0);
        assertThat(user.getString("details.user.setgroups")).isEqualTo("deny");
        assertThat(user.getInt("details.user.ownerUid")).isZero();
        assertThat(user.getMap("details.user.error")).isNull();

        JsonPath pid = details(chart, "pid");
        assertThat(pid.getInt("details.pid.level")).isEqualTo(3);
        assertThat(pid.getInt("details.pid.init")).isEqualTo(ns.pid("pid"));
        assertThat(pid.getList("details.pid.pidMap.find { it.pid == " + ns.pid("pid") + " }.nspid", Integer.class))
                .isEqualTo(LiveHost.nspid(ns.pid("pid")));
        assertThat(pid.getMap("details.pid.error")).isNull();

        JsonPath mnt = details(chart, "mnt");
        assertThat(mnt.getInt("details.mnt.mounts"))
                .isEqualTo(Files.readAllLines(Path.of("/proc/" + ns.pid("mnt") + "/mountinfo"))
                        .size());
        assertThat(mnt.getString("details.mnt.root.propagation")).isEqualTo("private");
        assertThat(mnt.getMap("details.mnt.error")).isNull();

        JsonPath time = details(chart, "time");
        assertThat(time.getLong("details.time.monotonic.seconds")).isEqualTo(86400);
        assertThat(time.getLong("details.time.boottime.seconds")).isEqualTo(3600);
        assertThat(time.getMap("details.time.error")).isNull();
    }

    @Test
    void netInterfacesFromProcfsWithTheChartsCapabilities() throws Exception {
        JsonPath d = details(chart, "net");
        assertThat(d.getInt("details.via")).isEqualTo(ns.pid("net"));
        assertThat(d.getString("details.net.source")).isEqualTo("procfs");
        Map<String, Set<String>> ip = ipAddresses();
        assertThat(d.getList("details.net.interfaces.name", String.class)).containsExactlyElementsOf(ip.keySet());
        Map<String, Integer> indexes = ipIndexes();
        for (String name : ip.keySet()) {
            String at = "details.net.interfaces.find { it.name == '" + name + "' }";
            assertThat(d.getInt(at + ".index")).as(name).isEqualTo(indexes.get(name));
            assertThat(d.getString(at + ".state")).as(name).isNull();
            assertThat(d.getString(at + ".mac")).as(name).isNull();
            Set<String> expected = new LinkedHashSet<>(ip.get(name));
            expected.remove("10.231.8.9/32"); // a /32 no route covers: /proc/PID/net does not say whose it is
            assertThat(new LinkedHashSet<>(d.getList(at + ".addresses", String.class)))
                    .as(name)
                    .isEqualTo(expected);
        }
        assertThat(d.getList("details.net.addressesWithoutInterface", String.class))
                .containsExactly("10.231.8.9");
        assertThat(d.getString("details.net.error.reason")).isEqualTo("needs-capability");
        assertThat(d.getString("details.net.error.capability")).isEqualTo("CAP_SYS_ADMIN");
        assertThat(d.getString("details.net.error.chartValue")).isEqualTo("details.privileged");
        assertThat(text(chart, "net"))
                .contains(
                        ns.innerEnd + " ",
                        "10.231.7.2/24",
                        "fd00:231:7::2/64",
                        "addresses without interface: 10.231.8.9\n",
                        "details unreadable: needs-capability: ");
    }

    @Test
    void utsIpcAndCgroupNameTheCapabilityAndTheChartValueThatGrantsIt() throws Exception {
        for (String type : List.of("uts", "ipc", "cgroup")) {
            JsonPath d = details(chart, type);
            assertThat(d.getInt("details.via")).as(type).isEqualTo(ns.pid(type));
            String error = "details." + type + ".error";
            assertThat(d.getString(error + ".reason")).as(type).isEqualTo("needs-capability");
            assertThat(d.getString(error + ".capability")).as(type).isEqualTo("CAP_SYS_ADMIN");
            assertThat(d.getString(error + ".chartValue")).as(type).isEqualTo("details.privileged");
            assertThat(d.getString(error + ".message"))
                    .as(type)
                    .contains("setns(2)", "details.privileged=true")
                    .doesNotContain("EPERM");
            assertThat(d.getString(error + ".errno")).as(type).isNull();
            assertThat(text(chart, type)).as(type).contains("details unreadable: needs-capability: ");
        }
        assertThat(details(chart, "uts").getString("details.uts.hostname")).isNull();
        assertThat(details(chart, "ipc").getString("details.ipc.sharedMemorySegments"))
                .isNull();
        assertThat(details(chart, "cgroup").getString("details.cgroup.root")).isNull();
    }

    @Test
    void withDetailsPrivilegedEveryTypeIsRead() throws Exception {
        for (String type : LiveNamespaces.TYPES) {
            JsonPath d = details(privileged, type);
            assertThat(d.getInt("details.via")).as(type).isEqualTo(ns.pid(type));
            assertThat(d.getMap("details." + type + ".error")).as(type).isNull();
        }
        assertThat(details(privileged, "uts").getString("details.uts.hostname")).isEqualTo(ns.hostname);
        assertThat(details(privileged, "ipc").getInt("details.ipc.sharedMemorySegments"))
                .isEqualTo(1);
        JsonPath cgroup = details(privileged, "cgroup");
        String v2 = Files.readAllLines(Path.of("/proc/" + ns.pid("cgroup") + "/cgroup")).stream()
                .filter(l -> l.startsWith("0::"))
                .findFirst()
                .map(l -> l.substring(3))
                .orElse(null);
        if (v2 != null) {
            assertThat(cgroup.getString("details.cgroup.root")).isEqualTo(v2);
        }
        assertThat(cgroup.getList("details.cgroup.hierarchies.inside", String.class))
                .containsOnly("/");
        JsonPath net = details(privileged, "net");
        assertThat(net.getString("details.net.source")).isEqualTo("netlink");
        Map<String, Set<String>> ip = ipAddresses();
        assertThat(net.getList("details.net.interfaces.name", String.class)).containsExactlyElementsOf(ip.keySet());
        assertThat(net.getList(
                        "details.net.interfaces.find { it.name == '" + ns.innerEnd + "' }.addresses", String.class))
                .containsExactlyElementsOf(ip.get(ns.innerEnd));
        assertThat(net.getString("details.net.interfaces.find { it.name == '" + ns.innerEnd + "' }.state"))
                .isEqualTo("UP");
    }

    /** {@code ip -n NETNS -br addr}: each interface (without ip's {@code @peer}) with its addresses, in ip's order. */
    private static Map<String, Set<String>> ipAddresses() {
        String brief = LiveHost.run(LiveNamespaces.TIMEOUT, ns.ip(), "-n", ns.netns, "-br", "addr")
                .requireSuccess()
                .out();
        Map<String, Set<String>> result = new LinkedHashMap<>();
        for (String line : brief.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            result.put(
                    f[0].replaceFirst("@.*", ""), new LinkedHashSet<>(List.of(f).subList(2, f.length)));
        }
        return result;
    }

    /** {@code ip -n NETNS -o link}: each interface's index. */
    private static Map<String, Integer> ipIndexes() {
        String links = LiveHost.run(LiveNamespaces.TIMEOUT, ns.ip(), "-n", ns.netns, "-o", "link")
                .requireSuccess()
                .out();
        Map<String, Integer> result = new HashMap<>();
        for (String line : links.lines().toList()) {
            String[] f = line.split(":\\s+", 3);
            result.put(f[1].replaceFirst("@.*", ""), Integer.parseInt(f[0].trim()));
        }
        return result;
    }
}
