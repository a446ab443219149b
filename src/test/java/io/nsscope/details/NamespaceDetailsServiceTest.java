package io.nsscope.details;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.details.NamespaceDetails.ClockOffset;
import io.nsscope.details.NamespaceDetails.NetInterface;
import io.nsscope.details.NamespaceDetails.PidMapEntry;
import io.nsscope.details.NamespaceDetails.RootMount;
import io.nsscope.jna.Capabilities.Capability;
import io.nsscope.jna.Errno;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.IdRange;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.procfs.Passwd;
import io.nsscope.scan.Scanner;
import io.nsscope.scan.Snapshot;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reading logic on the fixture procfs: what per-process files give, the member fallback, the errors. The kernel
 * part ({@link NamespaceAccess}) is played by {@link FakeAccess}, which runs the reads on the calling thread.
 */
class NamespaceDetailsServiceTest {

    /** Container namespaces of the fixture: lxc-start's child 5438 (init) with members 5741 and 5742. */
    static final long CONTAINER_UTS = 4026532340L;

    static final long CONTAINER_MNT = 4026532337L;
    static final long CONTAINER_PID = 4026532342L;
    static final long CONTAINER_NET = 4026532345L;
    static final long CONTAINER_IPC = 4026532341L;
    static final long CONTAINER_CGROUP = 4026532434L;
    static final long NESTED_USER = 4026532212L;
    static final long HOST_TIME = 4026531834L;

    /** Runs the reads directly, records where it was asked to go, and fails as told. */
    static final class FakeAccess implements NamespaceAccess {
        final List<Path> entered = new ArrayList<>();
        RuntimeException failure;
        /** Whether nsscope holds CAP_SYS_ADMIN: without, {@link #inside} refuses as {@link SetnsAccess} does. */
        boolean privileged = true;
        /** What the files look like from inside: run after entering, before the read. */
        Callable<?> onEnter;

        @Override
        public <T> T inside(Path nsFile, NamespaceType type, long inode, Callable<T> task) {
            entered.add(nsFile);
            if (failure != null) {
                throw failure;
            }
            if (!privileged) {
                throw new MissingCapabilityException(Capability.CAP_SYS_ADMIN, "setns(2)");
            }
            try {
                if (onEnter != null) {
                    onEnter.call();
                }
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int ownerUid(Path userNsFile, long inode) {
            entered.add(userNsFile);
            if (failure != null) {
                throw failure;
            }
            return 1000;
        }

        @Override
        public List<NetInterface> interfaces(Path netNsFile, long inode) {
            return inside(
                    netNsFile,
                    NamespaceType.NET,
                    inode,
                    () -> List.of(
                            new NetInterface("lo", 1, "UNKNOWN", null, null, null, 65536, List.of("127.0.0.1/8"))));
        }
    }

    @TempDir
    Path dir;

    Path root;
    FixtureProcFs procFs;
    FakeAccess access;
    NamespaceDetailsService service;
    Snapshot snapshot;

    @BeforeEach
    void scan() throws Exception {
        root = Fixtures.copyProc(dir.resolve("proc"));
        procFs = new FixtureProcFs(root);
        snapshot = new Scanner(procFs, () -> Passwd.EMPTY, 1, Clock.systemUTC()).scan(1);
        access = new FakeAccess();
        service = new NamespaceDetailsService(
                procFs, access, () -> Passwd.parse("root:x:0:0::/:/bin/sh\nnix:x:1000:1000::/:/bin/sh\n"));
    }

    private NamespaceDetails details(long inode) {
        return service.read(snapshot.namespace(inode).orElseThrow(), snapshot);
    }

    @Test
    void userNamespaceMapsAndOwner() {
        NamespaceDetails d = details(NESTED_USER);
        assertThat(d.via()).isEqualTo(22755);
        assertThat(d.user().uidMap()).containsExactly(new IdRange(0, 1000, 1), new IdRange(1, 100000, 65536));
        assertThat(d.user().gidMap()).containsExactly(new IdRange(0, 1000, 1));
        assertThat(d.user().setgroups()).isEqualTo("deny");
        assertThat(d.user().ownerUid()).isEqualTo(1000);
        assertThat(d.user().owner()).isEqualTo("nix");
        assertThat(d.error()).isNull();
        assertThat(access.entered).containsExactly(root.resolve("22755/ns/user"));
        assertThat(d.pid()).isNull();
    }

    @Test
    void anOwnerThatCannotBeReadLeavesTheMaps() {
        access.failure = new SyscallException("ioctl(NS_GET_OWNER_UID)", Errno.EPERM.code());
        NamespaceDetails d = details(NESTED_USER);
        assertThat(d.user().uidMap()).hasSize(2);
        assertThat(d.user().ownerUid()).isNull();
        assertThat(d.user().error().reason()).isEqualTo(DetailError.PERMISSION_DENIED);
        assertThat(d.user().error().errno()).isEqualTo("EPERM");
        assertThat(d.user().error().syscall()).isEqualTo("ioctl(NS_GET_OWNER_UID)");
    }

    @Test
    void pidNamespaceFromTheSnapshot() {
        NamespaceDetails d = details(CONTAINER_PID);
        assertThat(d.pid().level()).isEqualTo(1);
        assertThat(d.pid().init()).isEqualTo(5438);
        assertThat(d.pid().pidMap())
                .containsExactly(
                        new PidMapEntry(5438, List.of(5438, 1)),
                        new PidMapEntry(5741, List.of(5741, 291)),
                        new PidMapEntry(5742, List.of(5742, 292)));
        assertThat(d.error()).isNull();
        assertThat(access.entered).isEmpty();
        NamespaceDetails host = details(4026531836L);
        assertThat(host.pid().level()).isZero();
        assertThat(host.pid().init()).isEqualTo(1);
    }

    @Test
    void mountNamespaceFromMountinfo() {
        NamespaceDetails d = details(CONTAINER_MNT);
        assertThat(d.mnt().mounts()).isEqualTo(5);
        assertThat(d.mnt().root())
                .isEqualTo(new RootMount("/dev/vda1", "ext4", "/var/lib/lxc/c1/rootfs", "private,slave"));
    }

    @Test
    void timeNamespaceThroughAProcessWhoseChildrenGoThere() {
        NamespaceDetails d = details(HOST_TIME);
        assertThat(d.via()).isEqualTo(1);
        assertThat(d.time().monotonic()).isEqualTo(new ClockOffset(0, 0));
        assertThat(d.time().boottime()).isEqualTo(new ClockOffset(0, 0));
    }

    @Test
    void utsAndIpcAreReadInsideTheNamespace() throws Exception {
        Files.createDirectories(root.resolve("sys/kernel"));
        Files.writeString(root.resolve("sys/kernel/hostname"), "box1\n");
        Files.writeString(root.resolve("sys/kernel/domainname"), "(none)\n");
        Files.createDirectories(root.resolve("sysvipc"));
        Files.writeString(root.resolve("sysvipc/shm"), "key shmid\n1 0\n");
        Files.writeString(root.resolve("sysvipc/sem"), "key semid\n");
        Files.writeString(root.resolve("sysvipc/msg"), "key msqid\n");
        NamespaceDetails uts = details(CONTAINER_UTS);
        assertThat(uts.uts().hostname()).isEqualTo("box1");
        assertThat(uts.uts().domainname()).isEqualTo("(none)");
        NamespaceDetails ipc = details(CONTAINER_IPC);
        assertThat(ipc.ipc().sharedMemorySegments()).isEqualTo(1);
        assertThat(ipc.ipc().semaphoreSets()).isZero();
        assertThat(ipc.ipc().messageQueues()).isZero();
        assertThat(access.entered).containsExactly(root.resolve("5438/ns/uts"), root.resolve("5438/ns/ipc"));
    }

    @Test
    void cgroupRootIsTheOutsidePathMinusTheInsideOne() throws Exception {
        Path cgroup = root.resolve("5438/cgroup");
        Files.writeString(cgroup, "4:memory:/lxc/c1/init\n0::/lxc.payload.c1/init\n");
        access.onEnter = () -> Files.writeString(cgroup, "4:memory:/init\n0::/init\n");
        NamespaceDetails d = details(CONTAINER_CGROUP);
        assertThat(d.cgroup().root()).isEqualTo("/lxc.payload.c1");
        assertThat(d.cgroup().hierarchies())
                .containsExactly(
                        new NamespaceDetails.CgroupRoot(4, "memory", "/lxc/c1", "/init"),
                        new NamespaceDetails.CgroupRoot(0, "", "/lxc.payload.c1", "/init"));
    }

    @Test
    void netThroughTheLowestPid() {
        NamespaceDetails d = details(CONTAINER_NET);
        assertThat(d.via()).isEqualTo(5438);
        assertThat(d.net().source()).isEqualTo(NamespaceDetails.NET_SOURCE_NETLINK);
        assertThat(d.net().interfaces()).extracting(NetInterface::name).containsExactly("lo");
        assertThat(d.net().addressesWithoutInterface()).isEmpty();
        assertThat(d.error()).isNull();
    }

    @Test
    void withoutCapSysAdminNetComesFromProcfsAndSaysWhatIsMissing() {
        access.privileged = false;
        NamespaceDetails d = details(CONTAINER_NET);
        assertThat(d.via()).isEqualTo(5438);
        assertThat(d.net().source()).isEqualTo(NamespaceDetails.NET_SOURCE_PROCFS);
        assertThat(d.net().interfaces()).extracting(NetInterface::name).containsExactly("lo", "eth0", "dummy0");
        assertThat(d.net().interfaces().get(1).addresses()).startsWith("10.244.1.23/24");
        assertThat(d.net().interfaces()).allSatisfy(i -> assertThat(i.state()).isNull());
        assertThat(d.net().addressesWithoutInterface()).containsExactly("169.254.9.9");
        DetailError e = d.net().error();
        assertThat(e.reason()).isEqualTo(DetailError.NEEDS_CAPABILITY);
        assertThat(e.capability()).isEqualTo("CAP_SYS_ADMIN");
        assertThat(e.chartValue()).isEqualTo("details.privileged");
        assertThat(e.message())
                .contains("state, MTU, hardware address and peer", "CAP_SYS_ADMIN", "details.privileged=true");
        assertThat(e.errno()).isNull();
    }

    @Test
    void aRefusedSetnsDespiteTheCapabilityFallsBackToProcfsWithItsErrno() {
        access.failure = new SyscallException("setns", Errno.EPERM.code());
        NamespaceDetails d = details(CONTAINER_NET);
        assertThat(d.net().source()).isEqualTo(NamespaceDetails.NET_SOURCE_PROCFS);
        assertThat(d.net().interfaces()).hasSize(3);
        assertThat(d.net().error())
                .isEqualTo(new DetailError(
                        DetailError.PERMISSION_DENIED, "setns failed: EPERM (errno 1)", "setns", "EPERM"));
    }

    @Test
    void withoutCapSysAdminUtsIpcAndCgroupNameTheCapabilityAndTheChartValue() throws Exception {
        access.privileged = false;
        for (long inode : new long[] {CONTAINER_UTS, CONTAINER_IPC, CONTAINER_CGROUP}) {
            NamespaceDetails d = details(inode);
            assertThat(d.via()).isEqualTo(5438);
            DetailError e = d.error();
            assertThat(e.reason()).as("%d", inode).isEqualTo(DetailError.NEEDS_CAPABILITY);
            assertThat(e.capability()).isEqualTo("CAP_SYS_ADMIN");
            assertThat(e.chartValue()).isEqualTo("details.privileged");
            assertThat(e.message()).contains("setns(2)", "details.privileged=true");
            assertThat(e.syscall()).isNull();
        }
        assertThat(details(CONTAINER_UTS).uts().hostname()).isNull();
        assertThat(details(CONTAINER_IPC).ipc().sharedMemorySegments()).isNull();
        assertThat(details(CONTAINER_CGROUP).cgroup().root()).isNull();
        assertThat(details(CONTAINER_UTS).error().message()).contains("/proc/sys/kernel/{hostname,domainname}");
    }

    @Test
    void userPidMntAndTimeNeedNoCapSysAdmin() {
        access.privileged = false;
        assertThat(details(NESTED_USER).error()).isNull();
        assertThat(details(CONTAINER_PID).error()).isNull();
        assertThat(details(CONTAINER_MNT).error()).isNull();
        assertThat(details(HOST_TIME).error()).isNull();
    }

    @Test
    void aVanishedLowestPidFallsBackToTheNextMember() throws Exception {
        delete(root.resolve("5438"));
        NamespaceDetails d = details(CONTAINER_NET);
        assertThat(d.via()).isEqualTo(5741);
        assertThat(access.entered).containsExactly(root.resolve("5741/ns/net"));
    }

    @Test
    void aReusedPidInAnotherNamespaceIsSkipped() throws Exception {
        Path link = root.resolve("5438/ns/net");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("net:[4026531992]"));
        assertThat(details(CONTAINER_NET).via()).isEqualTo(5741);
    }

    @Test
    void everyMemberGoneIsReportedNotThrown() throws Exception {
        for (String pid : List.of("5438", "5741", "5742")) {
            delete(root.resolve(pid));
        }
        NamespaceDetails d = details(CONTAINER_UTS);
        assertThat(d.via()).isNull();
        assertThat(d.uts().hostname()).isNull();
        assertThat(d.uts().error().reason()).isEqualTo(DetailError.PROCESS_VANISHED);
    }

    @Test
    void aDeniedReadIsReported() throws Exception {
        Files.writeString(root.resolve("5438/DENIED"), "mountinfo\n");
        NamespaceDetails d = details(CONTAINER_MNT);
        assertThat(d.via()).isEqualTo(5438);
        assertThat(d.mnt().mounts()).isNull();
        assertThat(d.mnt().error().reason()).isEqualTo(DetailError.PERMISSION_DENIED);
    }

    @Test
    void aKernelRefusalIsReported() {
        access.failure = new SyscallException("setns", Errno.EINVAL.code());
        NamespaceDetails d = details(CONTAINER_UTS);
        assertThat(d.uts().error())
                .isEqualTo(new DetailError(
                        DetailError.KERNEL_REFUSED, "setns failed: EINVAL (errno 22)", "setns", "EINVAL"));
    }

    @Test
    void aFileTheKernelDoesNotOfferIsNotAvailable() throws Exception {
        Files.delete(root.resolve("1/timens_offsets"));
        NamespaceDetails d = details(HOST_TIME);
        assertThat(d.via()).isEqualTo(1);
        assertThat(d.time().monotonic()).isNull();
        assertThat(d.time().error().reason()).isEqualTo(DetailError.NOT_AVAILABLE);
    }

    @Test
    void detailsAreReadOncePerSnapshot() {
        var ns = snapshot.namespace(CONTAINER_NET).orElseThrow();
        NamespaceDetails first = service.details(ns, snapshot);
        NamespaceDetails second = service.details(ns, snapshot);
        assertThat(second).isSameAs(first);
        assertThat(access.entered).hasSize(1);
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
