package io.nsscope.sandbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nsscope.config.NsscopeProperties;
import io.nsscope.jna.Processes;
import io.nsscope.namespace.IdRange;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.procfs.ProcFs;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Creates, tracks and ends sandboxes: processes started in new namespaces of their own, each in a cgroup v2 leaf of
 * its own. Off unless {@code nsscope.sandbox.enabled}. See {@link SpecValidator} for what a request may ask,
 * {@link Launcher} and {@link Gate} for how one starts, {@link Trampoline} for the chain of programs between nsscope
 * and the command, and {@link Tracked#kill} for how one ends. Every sandbox runs as ids of
 * {@code nsscope.sandbox.uid-pool}, never as the host's root, and its ids go back to the pool only after a
 * quarantine, once nothing runs as them ({@link UidReclaim}).
 */
@Service
public class SandboxService {

    /** nsscope's own procfs (not the scanned host's, which may be mounted read-only elsewhere): it writes here. */
    private static final Path OWN_PROC = Path.of("/proc");

    private static final Duration LEAF_WAIT = Duration.ofSeconds(5);
    private static final long NOFILE = 1024;

    private final NsscopeProperties.Sandbox config;
    private final ProcFs proc;
    private final UidPool pool;
    private final SpecValidator validator;
    private final CreationRate rate;
    private final Semaphore slots;
    private final Registry registry = new Registry();
    private final ScheduledExecutorService scheduler;
    private final Tools tools;
    private final Launcher launcher;
    private final Tracking tracking;
    private final UidReclaim reclaim;
    private final SandboxCgroups cgroups;
    private final boolean kernelProc;
    private final List<String> hidden;
    private final Map<Integer, Long> limits;
    private boolean closed;
    private final Counter created;
    private final Counter failed;

    @Autowired
    public SandboxService(NsscopeProperties properties, ObjectProvider<MeterRegistry> meters) {
        this(properties, meters, null);
    }

    /** With {@code kernelProc} non-null: whether to mount /proc from the launching thread, instead of probing. */
    SandboxService(NsscopeProperties properties, ObjectProvider<MeterRegistry> meters, Boolean kernelProc) {
        this.config = properties.sandbox();
        this.proc = new ProcFs(OWN_PROC);
        this.pool = new UidPool(config.uidPoolFirst(), config.uidPoolLast());
        this.tools = Tools.find();
        if (config.enabled() && !tools.missing().isEmpty()) {
            throw new IllegalStateException(
                    "nsscope.sandbox.enabled=true needs these programs, missing here: " + tools.missing());
        }
        this.cgroups = config.enabled()
                ? SandboxCgroups.open(config.cgroup(), config.maxConcurrent(), proc)
                : SandboxCgroups.none("sandboxes are disabled");
        this.validator = new SpecValidator(config, pool, cgroups);
        this.rate = new CreationRate(config.creationsPerMinute(), System::nanoTime);
        this.slots = new Semaphore(config.maxConcurrent());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-timer");
            t.setDaemon(true);
            return t;
        });
        this.launcher = new Launcher(tools, scheduler);
        this.kernelProc =
                kernelProc != null ? kernelProc : config.enabled() && Launcher.kernelMountsProcForPidNamespaces();
        this.reclaim = new UidReclaim(pool, proc, scheduler, config.uidQuarantine());
        this.hidden = hiddenMounts(properties, cgroups);
        this.limits = limits(config, cgroups);
        this.tracking = new Tracking(registry, scheduler, (int) config.logTail().toBytes(), this::ended);
        MeterRegistry registryOrNull = meters.getIfAvailable();
        if (registryOrNull != null) {
            Gauge.builder("nsscope.sandbox.running", registry, r -> r.running().size())
                    .description("Sandboxes running now")
                    .register(registryOrNull);
            created = Counter.builder("nsscope.sandbox.creations")
                    .description("Sandboxes created")
                    .register(registryOrNull);
            failed = Counter.builder("nsscope.sandbox.creation.failures")
                    .description("Sandbox creations that failed once valid and within the limits")
                    .register(registryOrNull);
        } else {
            created = null;
            failed = null;
        }
    }

    /** What a sandbox's new mount namespace must not show of nsscope's: see {@link LaunchPlan#hidden()}. */
    private static List<String> hiddenMounts(NsscopeProperties properties, SandboxCgroups cgroups) {
        List<String> hidden = new ArrayList<>();
        if (!properties.procfs().root().equals(OWN_PROC)) {
            hidden.add(properties.procfs().root().toString());
        }
        if (properties.sandbox().tokenFile() != null
                && properties.sandbox().tokenFile().getParent() != null) {
            hidden.add(properties
                    .sandbox()
                    .tokenFile()
                    .toAbsolutePath()
                    .getParent()
                    .toString());
        }
        if (cgroups.privateMount() != null) {
            hidden.add(cgroups.privateMount().toString());
        }
        return List.copyOf(hidden);
    }

    /**
     * The limits a sandbox's last step sets on itself: as many processes as {@code pids.max} for its UID
     * ({@code RLIMIT_NPROC}, per UID: each sandbox has its own), {@value #NOFILE} descriptors, and, where the memory
     * controller cannot be enabled, {@code memory-max} of address space ({@code RLIMIT_AS}).
     */
    private static Map<Integer, Long> limits(NsscopeProperties.Sandbox config, SandboxCgroups cgroups) {
        Map<Integer, Long> limits = new HashMap<>();
        limits.put(LaunchPlan.NPROC, (long) config.cgroup().pidsMax());
        limits.put(LaunchPlan.NOFILE, NOFILE);
        if (!cgroups.limits().containsKey("memory.max")) {
            limits.put(LaunchPlan.AS, config.cgroup().memoryMax().toBytes());
        }
        return Map.copyOf(limits);
    }

    /** Whether {@code nsscope.sandbox.enabled}. */
    public boolean enabled() {
        return config.enabled();
    }

    /** Why sandboxes run without cgroup leaves (then each needs a pid namespace), or null when they have them. */
    public String cgroupsUnusable() {
        return cgroups.unusable();
    }

    /** Starts a sandbox, or fails leaving nothing of it (no process, thread, mount, cgroup or namespace). */
    public Sandbox create(SandboxSpec spec) {
        requireEnabled();
        try (Executable exe = validator.validate(spec)) {
            long wait = rate.tryAcquire();
            if (wait > 0) {
                throw new SandboxLimitException(
                        "More than nsscope.sandbox.creations-per-minute (" + config.creationsPerMinute()
                                + ") sandboxes were created in the last minute.",
                        wait);
            }
            if (!slots.tryAcquire()) {
                throw new SandboxLimitException(
                        "nsscope.sandbox.max-concurrent (" + config.maxConcurrent()
                                + ") sandboxes are running; delete one or wait for one to end.",
                        5);
            }
            return start(Ids.next(), spec, exe);
        }
    }

    /** Holds a slot; gives it back (and the ids, after their quarantine) unless the sandbox is tracked. */
    private Sandbox start(String id, SandboxSpec spec, Executable exe) {
        boolean tracked = false;
        CgroupLeaf leaf = null;
        try {
            leaf = cgroups.create(id);
            LaunchPlan plan = plan(id, spec, leaf != null);
            Launcher.Launched launched = launcher.launch(plan, exe, leaf);
            Instant now = Instant.now();
            Sandbox made = Inspect.made(proc, id, launched.pid(), spec, plan, now, now.plus(validator.ttl(spec)));
            synchronized (this) {
                if (closed) {
                    // shutting down: a sandbox that started meanwhile is ended with the others, not tracked
                    Tracked orphan = new Tracked(made, launched.pidfd(), leaf, null);
                    orphan.kill(SandboxState.KILLED);
                    Processes.waitExit(launched.pidfd(), true);
                    orphan.ended(null, () -> {});
                    launched.output().close();
                    throw new SandboxesDisabledException();
                }
                tracking.track(made, launched, leaf);
                tracked = true;
            }
            if (created != null) {
                created.increment();
            }
            return made;
        } finally {
            if (!tracked) {
                if (leaf != null) {
                    leaf.killAndRemove(LEAF_WAIT);
                }
                ended(id);
                if (failed != null) {
                    failed.increment();
                }
            }
        }
    }

    private LaunchPlan plan(String id, SandboxSpec spec, boolean inLeaf) {
        boolean user = spec.namespaces().contains(NamespaceType.USER);
        UserMapping mapping = user ? (spec.user() == null ? UserMapping.none() : spec.user()) : null;
        long hostUid;
        List<IdRange> maps;
        Set<Long> inUse = HostIds.inUse(proc, pool.first(), pool.last());
        if (mapping != null && mapping.mode() == UserMapping.Mode.EXPLICIT) {
            pool.take(id, mapping.maps(), inUse);
            maps = mapping.maps();
            IdRange first =
                    maps.stream().filter(m -> m.inside() == 0).findFirst().orElse(maps.get(0));
            hostUid = first.outside();
        } else {
            hostUid = pool.takeOne(id, inUse);
            maps = mapping != null && mapping.mode() == UserMapping.Mode.ROOT
                    ? List.of(new IdRange(0, hostUid, 1))
                    : List.of();
        }
        // a cgroup namespace is made by the chain once in its leaf (the leaf is then its root), not by the thread
        boolean cgroupInLeaf = inLeaf && spec.namespaces().contains(NamespaceType.CGROUP);
        int flags = 0;
        for (NamespaceType t : spec.namespaces()) {
            flags |= t == NamespaceType.USER || t == NamespaceType.CGROUP && cgroupInLeaf ? 0 : t.cloneFlag();
        }
        boolean pid = spec.namespaces().contains(NamespaceType.PID);
        boolean mnt = spec.namespaces().contains(NamespaceType.MNT);
        boolean mountProc = spec.mountProc() == null ? pid && mnt : spec.mountProc();
        return new LaunchPlan(
                id,
                flags,
                spec.hostname(),
                mnt,
                spec.timeOffsets(),
                mountProc,
                kernelProc,
                mnt && spec.namespaces().contains(NamespaceType.NET),
                mapping,
                maps,
                hostUid,
                spec.command(),
                Inspect.environment(spec.env(), id),
                config.startTimeout(),
                hidden,
                limits,
                cgroupInLeaf);
    }

    /** Every known sandbox: the running ones and recently ended ones. */
    public List<Sandbox> list() {
        requireEnabled();
        return registry.all().stream().map(Tracked::view).toList();
    }

    /** One sandbox as it is now. */
    public Sandbox get(String id) {
        requireEnabled();
        return find(id).view();
    }

    /** The tail of what the sandbox wrote to stdout and stderr ({@code nsscope.sandbox.log-tail}). */
    public String logs(String id) {
        requireEnabled();
        Tracked t = find(id);
        return t.logs() == null ? "" : t.logs().text();
    }

    /** Kills the sandbox and waits until it is reaped; nothing to do when it already ended. */
    public void delete(String id) {
        requireEnabled();
        tracking.end(find(id), SandboxState.KILLED);
    }

    /** The host PID of every running sandbox's first process, to its sandbox id. */
    public Map<Integer, String> sandboxIdsByPid() {
        Map<Integer, String> ids = new HashMap<>();
        registry.running().forEach(t -> ids.put(t.pid(), t.id()));
        return ids;
    }

    /** The inode of every namespace created for a running sandbox, to its sandbox id. */
    public Map<Long, String> sandboxIdsByNamespace() {
        Map<Long, String> ids = new HashMap<>();
        for (Tracked t : registry.running()) {
            t.made().created().forEach(type -> {
                Long inode = t.made().namespaces().get(type);
                if (inode != null) {
                    ids.put(inode, t.id());
                }
            });
        }
        return ids;
    }

    /** On shutdown: kills every running sandbox and waits for each to be reaped. */
    void killAll() {
        registry.running().forEach(t -> tracking.end(t, SandboxState.KILLED));
    }

    /** On startup: kills or adopts the sandboxes a previous run left ({@code nsscope.sandbox.on-startup}). */
    void recoverLeftovers() {
        if (!config.enabled()) {
            return;
        }
        new Leftovers(proc, cgroups, registry, tracking, pool, slots).recover(config.onStartup(), config.defaultTtl());
    }

    /** A sandbox ended (or failed to start): its slot is free now, its ids after their quarantine. */
    private void ended(String id) {
        slots.release();
        reclaim.ended(id);
    }

    private Tracked find(String id) {
        return registry.get(id).orElseThrow(() -> new SandboxNotFoundException(id));
    }

    private void requireEnabled() {
        if (!config.enabled()) {
            throw new SandboxesDisabledException();
        }
    }

    /** When the context closes: ends what is left, and the timer thread; a creation finishing after is ended too. */
    @PreDestroy
    void close() {
        synchronized (this) {
            closed = true;
        }
        killAll();
        scheduler.shutdownNow();
    }
}
