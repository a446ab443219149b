package io.nsscope.live;

import static org.awaitility.Awaitility.await;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Fd;
import io.nsscope.jna.NamespaceFiles;
import io.nsscope.jna.Namespaces;
import io.nsscope.namespace.NamespaceType;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The situations util-linux's {@code tests/ts/lsns/} set up, and the rest of nsscope's discovery sources, made on the
 * live kernel for {@link Lsns242LiveIT}: each namespace made is recorded by name with its inode. Everything is torn
 * down by {@link #close()}: {@code test_mkfds} told to finish, processes killed (SIGKILL, as a PID namespace's init
 * ignores SIGTERM), mounts and named network namespaces removed.
 */
final class LsnsScenarios implements AutoCloseable {

    static final String RUN = String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    /** In the arguments of every sleeping process of this run. */
    static final String MARK = "3001." + RUN;

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The namespaces made, by scenario name (e.g. {@code filedesc}, {@code deep.user.2}). */
    final Map<String, Long> made = new LinkedHashMap<>();
    /** Other facts a scenario's assertions need (a PID, a netnsid, a path), by name. */
    final Map<String, String> facts = new LinkedHashMap<>();

    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
    private final List<OutputStream> mkfdsInputs = new ArrayList<>();
    private final List<String> netns = new ArrayList<>();
    private final List<Path> mounts = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final CountDownLatch releaseThread = new CountDownLatch(1);
    private Thread loose;
    private final Path tmp;

    LsnsScenarios(Path tmp) {
        this.tmp = tmp;
    }

    /** Sets every scenario up. */
    LsnsScenarios makeAll() throws Exception {
        filedesc();
        userns();
        socket();
        persistentNetnsid();
        nsfs();
        vethNetnsid();
        ioctlNs();
        threeDeep();
        ghost();
        otherMountNamespace();
        looseThread();
        return this;
    }

    /** tests/ts/lsns/filedesc: a net namespace held by a descriptor opened on its bind mount as a regular file. */
    private void filedesc() throws Exception {
        String name = "nsscope-fd-" + RUN;
        ip("netns", "add", name);
        netns.add(name);
        long pid = mkfds("ro-regular-file", "4", "file=/run/netns/" + name)[0];
        ip("netns", "delete", name);
        netns.remove(name);
        made.put("filedesc", inode(Path.of("/proc/" + pid + "/fd/4")));
        facts.put("filedesc.pid", Long.toString(pid));
    }

    /** tests/ts/lsns/filter: a process in a user namespace of its own, holding another one by a descriptor. */
    private void userns() throws Exception {
        long pid = mkfds("userns", "4")[0];
        made.put("userns.process", inode(Path.of("/proc/" + pid + "/ns/user")));
        made.put("userns.fd", inode(Path.of("/proc/" + pid + "/fd/4")));
        facts.put("userns.pid", Long.toString(pid));
    }

    /** tests/ts/lsns/netns-from-sock: a net namespace held only by sockets made in it. */
    private void socket() throws Exception {
        long[] answer = mkfds("foreign-sockets", "3", "5");
        made.put("socket", answer[1]);
        facts.put("socket.pid", Long.toString(answer[0]));
    }

    /** tests/ts/lsns/netnsid-for-persistent-namespaces: a bind-mounted net namespace given an ID. */
    private void persistentNetnsid() throws Exception {
        String name = "nsscope-id-" + RUN;
        ip("netns", "add", name);
        netns.add(name);
        String id = Integer.toString(1000 + Integer.parseInt(RUN) % 9000);
        ip("netns", "set", name, id);
        made.put("netnsid-persistent", inode(Path.of("/run/netns", name)));
        facts.put("netnsid-persistent.id", id);
        facts.put("netnsid-persistent.path", "/run/netns/" + name);
    }

    /** tests/ts/lsns/nsfs: a net namespace bind-mounted twice, with a process in it. */
    private void nsfs() throws Exception {
        String name = "nsscope-nsfs-" + RUN;
        ip("netns", "add", name);
        netns.add(name);
        Path second = Files.createFile(tmp.resolve("nsfs-" + RUN));
        files.add(second);
        LiveHost.run(WAIT, "mount", "--bind", "/run/netns/" + name, second.toString())
                .requireSuccess();
        mounts.add(second);
        start("ip", "netns", "exec", name, "sleep", MARK + "1");
        made.put("nsfs", inode(Path.of("/run/netns", name)));
        facts.put("nsfs.paths", "/run/netns/" + name + "," + second);
        awaitMember("sleep " + MARK + "1", "net", made.get("nsfs"));
    }

    /** tests/ts/lsns/netnsid: the ID of a net namespace that a veth's peer lives in, as ip-link shows it. */
    private void vethNetnsid() throws Exception {
        String name = "nsscope-veth-" + RUN;
        ip("netns", "add", name);
        netns.add(name);
        String a = "nsv" + RUN + "a";
        ip("link", "add", a, "type", "veth", "peer", "name", "nsv" + RUN + "b");
        ip("link", "set", "nsv" + RUN + "b", "netns", name);
        start("ip", "netns", "exec", name, "sleep", MARK + "2");
        made.put("veth", inode(Path.of("/run/netns", name)));
        // as util-linux's test asks ip: link-netnsid of the veth, or (ip names the namespace instead) list-id
        String link = LiveHost.run(WAIT, "ip", "-o", "link", "show", "dev", a)
                .requireSuccess()
                .out();
        Matcher m = Pattern.compile("link-netnsid (\\d+)").matcher(link);
        String ids =
                LiveHost.run(WAIT, "ip", "netns", "list-id").requireSuccess().out();
        Matcher listed = Pattern.compile("nsid (\\d+) .*name: " + Pattern.quote(name) + "\\b")
                .matcher(ids);
        facts.put("veth.netnsid", m.find() ? m.group(1) : listed.find() ? listed.group(1) : "none in " + ids);
        awaitMember("sleep " + MARK + "2", "net", made.get("veth"));
    }

    /** tests/ts/lsns/ioctl_ns: a user namespace and a pid namespace it owns, one process in them. */
    private void ioctlNs() throws Exception {
        start("unshare", "--user", "--pid", "--mount-proc", "--fork", "--kill-child", "sleep", MARK + "3");
        LiveHost.Proc p = awaitProcess("sleep " + MARK + "3");
        made.put("ioctl.user", p.links().get("user"));
        made.put("ioctl.pid", p.links().get("pid"));
    }

    /** User and pid namespaces nested three deep, the innermost with a net namespace of its own. */
    private void threeDeep() throws Exception {
        String inner = "unshare -U -r -p -f -n --kill-child --mount-proc sleep " + MARK + "4";
        String middle = "unshare -U -r -p -f --kill-child --mount-proc sh -c '" + inner + "'";
        start("unshare", "-U", "-r", "-p", "-f", "--kill-child", "--mount-proc", "sh", "-c", middle);
        LiveHost.Proc sleeper = awaitProcess("sleep " + MARK + "4");
        List<LiveHost.Proc> chain = new ArrayList<>();
        for (LiveHost.Proc p = sleeper;
                p != null && chain.size() < 6;
                p = LiveHost.read(p.ppid()).orElse(null)) {
            chain.add(0, p);
        }
        // chain: unshare(1), sh(1), unshare(2), sh(2), unshare(3), sleep: levels 1-3 are those of sh, sh, sleep
        made.put("deep.user.1", chain.get(1).links().get("user"));
        made.put("deep.pid.1", chain.get(1).links().get("pid"));
        made.put("deep.user.2", chain.get(3).links().get("user"));
        made.put("deep.pid.2", chain.get(3).links().get("pid"));
        made.put("deep.user.3", sleeper.links().get("user"));
        made.put("deep.pid.3", sleeper.links().get("pid"));
        made.put("deep.net.3", sleeper.links().get("net"));
    }

    /** A user namespace whose only process left: held by its child user namespace alone (a ghost). */
    private void ghost() throws Exception {
        LiveHost.run(
                        WAIT,
                        "unshare",
                        "-U",
                        "-r",
                        "sh",
                        "-c",
                        "unshare -U -r sleep " + MARK + "5 </dev/null >/dev/null 2>&1 & exit 0")
                .requireSuccess();
        LiveHost.Proc child = awaitProcess("sleep " + MARK + "5");
        made.put("ghost.child", child.links().get("user"));
        made.put("ghost", parentUserNamespace(child.pid()));
    }

    /** A uts namespace held only by a bind mount made in another, private, mount namespace. */
    private void otherMountNamespace() throws Exception {
        Path target = Files.createFile(tmp.resolve("uts-" + RUN));
        files.add(target);
        String script = "unshare -u sleep " + MARK + "6 & P=$!; "
                + "while [ \"$(readlink /proc/$P/ns/uts)\" = \"$(readlink /proc/self/ns/uts)\" ]; do sleep 0.01; done; "
                + "mount --bind /proc/$P/ns/uts " + target + " && kill -9 $P; exec sleep " + MARK + "7";
        start("unshare", "-m", "--propagation", "private", "sh", "-c", script);
        LiveHost.Proc keeper = awaitProcess("sleep " + MARK + "7");
        facts.put("mount.pid", Integer.toString(keeper.pid()));
        facts.put("mount.path", target.toString());
        String mountinfo = Files.readString(Path.of("/proc/" + keeper.pid() + "/mountinfo"));
        long uts = mountinfo
                .lines()
                .filter(l -> l.contains(" " + target + " ") && l.contains("uts:["))
                .map(l -> LiveHost.inodeOf(l.split(" ")[3]))
                .findFirst()
                .orElseThrow();
        made.put("mount.other", uts);
    }

    /** A thread of this JVM that unshared its uts namespace (lsns, reading processes only, cannot see it). */
    private void looseThread() throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        AtomicLong inode = new AtomicLong();
        loose = new Thread(
                () -> {
                    Namespaces.unshare(NamespaceType.UTS.cloneFlag());
                    inode.set(LiveHost.inodeOf(readLink(Path.of("/proc/thread-self/ns/uts"))));
                    ready.countDown();
                    try {
                        releaseThread.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "nsscope-it-lsns");
        loose.start();
        ready.await(10, TimeUnit.SECONDS);
        made.put("loose", inode.get());
    }

    private static long parentUserNamespace(int pid) {
        try (Fd user = Descriptors.open(Path.of("/proc/" + pid + "/ns/user"));
                Fd parent = NamespaceFiles.parentNamespace(user)) {
            return Descriptors.inode(parent);
        }
    }

    /** Starts {@code test_mkfds FACTORY ARGS} and reads its first line (the numbers it prints, PID first). */
    private long[] mkfds(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Lsns242.MKFDS.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        processes.add(p);
        mkfdsInputs.add(p.getOutputStream());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("test_mkfds " + args[0] + " printed nothing (exit " + p.waitFor() + ")");
        }
        String[] words = line.trim().split("\\s+");
        long[] numbers = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            numbers[i] = Long.parseLong(words[i]);
        }
        return numbers;
    }

    private void start(String... command) throws IOException {
        processes.add(new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    private static void ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        LiveHost.run(WAIT, argv.toArray(String[]::new)).requireSuccess();
    }

    /** The process whose command line is this, once it exists (exec'd). */
    static LiveHost.Proc awaitProcess(String command) {
        return await().atMost(WAIT)
                .until(() -> find(command), Optional::isPresent)
                .orElseThrow();
    }

    private static void awaitMember(String command, String type, long inode) {
        await().atMost(WAIT)
                .until(() -> find(command).map(p -> p.links().get(type)).orElse(-1L) == inode);
    }

    static Optional<LiveHost.Proc> find(String command) {
        return LiveHost.readAll().values().stream()
                .filter(p -> p.lsnsCommand().equals(command))
                .findFirst();
    }

    private static long inode(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every process of this run's mark, by command line. */
    static List<LiveHost.Proc> leftovers() {
        return LiveHost.readAll().values().stream()
                .filter(p -> p.lsnsCommand().contains(MARK))
                .toList();
    }

    @Override
    public void close() throws Exception {
        releaseThread.countDown();
        if (loose != null) {
            loose.join(10_000);
        }
        for (OutputStream in : mkfdsInputs) {
            try {
                in.write("DONE\n".getBytes(StandardCharsets.UTF_8));
                in.close();
            } catch (IOException e) {
                // it ended already
            }
        }
        for (LiveHost.Proc p : leftovers()) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        await().atMost(WAIT).until(() -> leftovers().isEmpty());
        for (Path mount : mounts) {
            LiveHost.run(WAIT, "umount", mount.toString());
        }
        for (String name : netns) {
            LiveHost.run(WAIT, "ip", "netns", "delete", name);
        }
        LiveHost.run(WAIT, "ip", "link", "delete", "nsv" + RUN + "a");
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
        if (Files.exists(Path.of("/run/netns"), LinkOption.NOFOLLOW_LINKS)) {
            try (var names = Files.list(Path.of("/run/netns"))) {
                if (names.anyMatch(n -> n.getFileName().toString().endsWith(RUN))) {
                    throw new IllegalStateException("a named network namespace of run " + RUN + " remains");
                }
            }
        }
    }
}
