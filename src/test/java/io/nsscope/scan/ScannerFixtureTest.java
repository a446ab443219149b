package io.nsscope.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.nsscope.jna.Errno;
import io.nsscope.namespace.Holder;
import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.procfs.Passwd;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.procfs.ProcfsReadException;
import io.nsscope.process.Container;
import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner on the checked-in fake procfs: lsns's numbers, and every race and oddity the tree holds. */
class ScannerFixtureTest {

    @TempDir
    Path tmp;

    private Snapshot snapshot;

    @BeforeEach
    void scan() throws Exception {
        FixtureProcFs procFs = new FixtureProcFs(Fixtures.copyProc(tmp)).vanishOnNamespaceRead(4300);
        Passwd passwd = Passwd.read(Fixtures.PASSWD);
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T01:00:00Z"), ZoneOffset.UTC);
        snapshot = new Scanner(procFs, () -> passwd, 2, clock).scan(7);
    }

    @Test
    void countsProcessesVanishedAndUnreadable() {
        assertThat(snapshot.counts()).isEqualTo(new ScanCounts(15, 18, 1, 1));
        assertThat(snapshot.process(4300)).isEmpty();
        assertThat(snapshot.sequence()).isEqualTo(7);
        assertThat(snapshot.takenAt()).isEqualTo(Instant.parse("2026-11-29T01:00:00Z"));
    }

    @Test
    void groupsProcessesIntoNamespacesSortedByInode() {
        assertThat(snapshot.namespaces())
                .extracting(Namespace::inode, Namespace::type, Namespace::nprocs, Namespace::lowestPid)
                .containsExactly(
                        tuple(4026531834L, NamespaceType.TIME, 13, 1),
                        tuple(4026531835L, NamespaceType.CGROUP, 10, 1),
                        tuple(4026531836L, NamespaceType.PID, 11, 1),
                        tuple(4026531837L, NamespaceType.USER, 12, 1),
                        tuple(4026531838L, NamespaceType.UTS, 10, 1),
                        tuple(4026531839L, NamespaceType.IPC, 10, 1),
                        tuple(4026531840L, NamespaceType.MNT, 10, 1),
                        tuple(4026531992L, NamespaceType.NET, 10, 1),
                        tuple(4026532212L, NamespaceType.USER, 2, 22755),
                        tuple(4026532337L, NamespaceType.MNT, 3, 5438),
                        tuple(4026532340L, NamespaceType.UTS, 3, 5438),
                        tuple(4026532341L, NamespaceType.IPC, 3, 5438),
                        tuple(4026532342L, NamespaceType.PID, 3, 5438),
                        tuple(4026532345L, NamespaceType.NET, 3, 5438),
                        tuple(4026532434L, NamespaceType.CGROUP, 3, 5438),
                        tuple(4026532600L, NamespaceType.NET, 0, null),
                        tuple(4026532601L, NamespaceType.NET, 0, null),
                        tuple(4026532602L, NamespaceType.UTS, 0, null));
        assertThat(snapshot.namespace(4026532342L).orElseThrow().pids()).containsExactly(5438, 5741, 5742);
    }

    @Test
    void aBindMountHoldsANamespaceWithoutProcesses() {
        Namespace blue = snapshot.namespace(4026532600L).orElseThrow();
        assertThat(blue.persistent()).isTrue();
        assertThat(blue.holders()).containsExactly(Holder.mount(1, 4026531840L, "/run/netns/blue"));
        assertThat(blue.nsfsPaths(4026531840L)).containsExactly("/run/netns/blue");
        assertThat(blue.nsfsPaths(4026531841L)).isEmpty(); // not mounted in another mount namespace
        assertThat(blue.ghost()).isFalse();
    }

    @Test
    void anOpenDescriptorHoldsANamespaceAndOtherDescriptorsAreIgnored() {
        Namespace held = snapshot.namespace(4026532601L).orElseThrow();
        assertThat(held.holders()).containsExactly(Holder.fd(Holder.Kind.FD, 4242, 3));
        // fd 0 (/dev/null), 4 (a socket: only checked with the sockets source) and 5 (an eventfd) hold nothing
        assertThat(snapshot.namespaces()).flatExtracting(Namespace::holders).hasSize(2);
    }

    @Test
    void aThreadThatUnsharedIsLooseAndItsNamespaceListed() {
        assertThat(snapshot.looseThreads()).containsExactly(new LooseThread(4250, 4242, "nsscope-probe",
                snapshot.looseThreads().get(0).namespaces(), List.of(NamespaceLink.UTS)));
        assertThat(snapshot.looseThreads().get(0).namespaces()).containsEntry(NamespaceLink.UTS, 4026532602L)
                .containsEntry(NamespaceLink.NET, 4026531992L).hasSize(10);
        Namespace uts = snapshot.namespace(4026532602L).orElseThrow();
        assertThat(uts.looseThreads()).containsExactly(4250);
        assertThat(uts.nprocs()).isZero();
        assertThat(snapshot.looseThreadsOf(4242)).hasSize(1);
        assertThat(snapshot.looseThreadsOf(1)).isEmpty();
        // the process itself stays in its own namespace
        assertThat(snapshot.process(4242).orElseThrow().namespace(NamespaceType.UTS)).isEqualTo(4026531838L);
    }

    @Test
    void descriptorTablesAreReadWholeOnceInFourScansAndKnownHoldersCheckedEveryScan() throws Exception {
        Path root = Fixtures.copyProc(tmp.resolve("sweep"));
        Scanner scanner = new Scanner(new FixtureProcFs(root), () -> Passwd.EMPTY, 1, Clock.systemUTC());
        assertThat(scanner.scan(0).namespace(4026532601L)).isPresent(); // every process is new: all tables read
        // PID 1 opens a namespace file; its table is read whole only in scans whose number is 1 modulo 4
        Files.createSymbolicLink(Files.createDirectories(root.resolve("1/fd")).resolve("6"),
                Path.of("net:[4026532700]"));
        assertThat(scanner.scan(2).namespace(4026532700L)).isEmpty();
        assertThat(scanner.scan(5).namespace(4026532700L)).hasValueSatisfying(ns ->
                assertThat(ns.holders()).containsExactly(Holder.fd(Holder.Kind.FD, 1, 6)));
        // 4242 (read whole in scans 2 modulo 4) closes its descriptor: checked again at the very next scan
        Files.delete(root.resolve("4242/fd/3"));
        assertThat(scanner.scan(7).namespace(4026532601L)).isEmpty();
        assertThat(scanner.scan(8).namespace(4026532700L)).isPresent(); // carried over, and still held
    }

    @Test
    void aProcesssNspidIsReadOnceAndAgainOnlyForANewProcessUnderTheSamePid() throws Exception {
        Path root = Fixtures.copyProc(tmp.resolve("nspid"));
        Scanner scanner = new Scanner(new FixtureProcFs(root), () -> Passwd.EMPTY, 1, Clock.systemUTC());
        assertThat(scanner.scan(0).process(5438).orElseThrow().nspid()).containsExactly(5438, 1);
        Path status = root.resolve("5438/status");
        Files.writeString(status, Files.readString(status).replace("NSpid:\t5438\t1", "NSpid:\t5438\t7"));
        // the same process (PID and start time): NSpid cannot have changed, status is not read again
        assertThat(scanner.scan(1).process(5438).orElseThrow().nspid()).containsExactly(5438, 1);
        // another process under the same PID (another start time): read
        Path stat = root.resolve("5438/stat");
        Files.writeString(stat, Files.readString(stat).replace(" 0 100 0 ", " 0 200 0 "));
        assertThat(scanner.scan(2).process(5438).orElseThrow().nspid()).containsExactly(5438, 7);
    }

    @Test
    void withoutTheExtraSourcesOnlyProcessesMakeNamespaces() throws Exception {
        Snapshot plain = new Scanner(new FixtureProcFs(Fixtures.copyProc(tmp.resolve("plain"))), () -> Passwd.EMPTY,
                1, Clock.systemUTC(), Sources.PROCESSES_ONLY).scan(1);
        assertThat(plain.namespaces()).hasSize(15).allMatch(ns -> ns.nprocs() > 0 && ns.holders().isEmpty());
        assertThat(plain.looseThreads()).isEmpty();
    }

    @Test
    void pidForChildrenAloneMakesNoNamespaceRowButIsKeptOnTheProcess() {
        assertThat(snapshot.namespace(4026532500L)).isEmpty();
        ProcessInfo unshare = snapshot.process(6000).orElseThrow();
        assertThat(unshare.namespaces()).containsEntry(NamespaceLink.PID_FOR_CHILDREN, 4026532500L)
                .containsEntry(NamespaceLink.PID, 4026531836L);
    }

    @Test
    void readsTheFieldsLsnsShows() {
        ProcessInfo init = snapshot.process(5438).orElseThrow();
        assertThat(init.ppid()).isEqualTo(5431);
        assertThat(init.comm()).isEqualTo("init");
        assertThat(init.command()).isEqualTo("init [3]  ");
        assertThat(init.nspid()).containsExactly(5438, 1);
        assertThat(init.uid()).isNotNull();
        assertThat(init.user()).isEqualTo(new Passwd(java.util.Map.of(0, "root", 1000, "nix", 65534, "nobody"))
                .nameOf(init.uid()));
        assertThat(snapshot.process(5741).orElseThrow().nspid()).containsExactly(5741, 291);
        assertThat(snapshot.process(1).orElseThrow().command()).isEqualTo("/sbin/init splash");
    }

    @Test
    void kernelThreadsShowTheirNameAsCommand() {
        ProcessInfo kworker = snapshot.process(3).orElseThrow();
        assertThat(kworker.kernelThread()).isTrue();
        assertThat(kworker.command()).isEqualTo("kworker/0:0-events");
        assertThat(snapshot.process(1).orElseThrow().kernelThread()).isFalse();
    }

    @Test
    void commWithParenthesesAndSpacesAndAnEmptyCmdline() {
        ProcessInfo odd = snapshot.process(4242).orElseThrow();
        assertThat(odd.comm()).isEqualTo("a) b (c");
        assertThat(odd.command()).isEqualTo("a) b (c");
        assertThat(odd.ppid()).isEqualTo(100);
        assertThat(odd.state()).isEqualTo('S');
    }

    @Test
    void anUnreadableProcessIsKeptWithWhatCouldBeRead() {
        ProcessInfo secret = snapshot.process(4400).orElseThrow();
        assertThat(secret.unreadable()).isTrue();
        assertThat(secret.namespaces()).isEmpty();
        assertThat(secret.command()).isEqualTo("secret");
        assertThat(secret.ppid()).isEqualTo(1);
        assertThat(snapshot.namespaces()).noneMatch(ns -> ns.pids().contains(4400));
    }

    @Test
    void aZombieCountsOnlyInTheNamespacesItStillHas() {
        ProcessInfo zombie = snapshot.process(4500).orElseThrow();
        assertThat(zombie.state()).isEqualTo('Z');
        assertThat(zombie.namespaces()).containsOnlyKeys(NamespaceLink.PID, NamespaceLink.USER);
        assertThat(snapshot.namespace(4026531836L).orElseThrow().pids()).contains(4500);
        assertThat(snapshot.namespace(4026531992L).orElseThrow().pids()).doesNotContain(4500);
        assertThat(zombie.unreadable()).isFalse();
    }

    @Test
    void initIsTheLowestFullyReadableProcess() {
        assertThat(snapshot.init()).map(ProcessInfo::pid).contains(1);
    }

    @Test
    void readsTheContainerOrUnitFromTheCgroup() {
        Container pod = new Container("containerd",
                "3f2a9c4e1b7d8a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29",
                "6c1f4a3e-9b2d-4c7e-8f10-2a3b4c5d6e7f",
                "cri-containerd-3f2a9c4e1b7d8a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29.scope");
        assertThat(snapshot.process(5438).orElseThrow().container()).isEqualTo(pod);
        assertThat(snapshot.process(5742).orElseThrow().container()).isEqualTo(pod);
        assertThat(snapshot.process(22771).orElseThrow().container())
                .extracting(Container::runtime, Container::podUid).containsExactly("podman", null);
        assertThat(snapshot.process(1).orElseThrow().container())
                .isEqualTo(new Container("systemd", null, null, "init.scope"));
        assertThat(snapshot.process(4500).orElseThrow().container())
                .isEqualTo(new Container("systemd", null, null, "session-2.scope"));
        // The root cgroup names nothing; a denied cgroup file leaves the process unreadable, with no container.
        assertThat(snapshot.process(2).orElseThrow().container()).isNull();
        assertThat(snapshot.process(4400).orElseThrow().container()).isNull();
        assertThat(snapshot.process(4400).orElseThrow().unreadable()).isTrue();
    }

    @Test
    void aLiveProcesssFileFailingWithAnUnexpectedErrnoLeavesItUnreadableAndTheScanGoesOn() throws Exception {
        FixtureProcFs procFs = new FixtureProcFs(Fixtures.copyProc(tmp.resolve("eio"))) {
            @Override
            public String read(int pid, String file) throws IOException {
                if (pid == 100 && file.equals("cmdline")) {
                    throw new ProcfsReadException(pidDir(pid).resolve(file).toString(), "read", Errno.OTHER, 5);
                }
                return super.read(pid, file);
            }
        };
        Snapshot eio = new Scanner(procFs, () -> Passwd.EMPTY, 1, Clock.systemUTC()).scan(1);
        assertThat(eio.process(100)).hasValueSatisfying(p -> {
            assertThat(p.unreadable()).isTrue();
            assertThat(p.namespaces()).isEmpty();
        });
        assertThat(eio.counts().processes()).isEqualTo(16);
        assertThat(eio.process(101).orElseThrow().unreadable()).isFalse();
    }

    @Test
    void aProcfsWhoseEveryProcessVanishedFailsTheScan() throws Exception {
        FixtureProcFs procFs = new FixtureProcFs(Fixtures.copyProc(tmp.resolve("gone"))) {
            @Override
            public String read(int pid, String file) {
                throw new ProcessVanishedException(pid, null);
            }
        };
        assertThatThrownBy(() -> new Scanner(procFs, () -> Passwd.EMPTY, 1, Clock.systemUTC()).scan(1))
                .isInstanceOf(IOException.class).hasMessageContaining("vanished");
    }
}
