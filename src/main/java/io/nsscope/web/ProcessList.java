package io.nsscope.web;

import io.nsscope.web.text.PlainText;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The answer of {@code GET /processes}: like {@code ps -e -o pid,ppid,user,stat,cgroupns,...,cmd}.
 *
 * @param processes the processes, by ascending PID
 * @param snapshot  the scan they come from
 */
@Schema(
        description = "Processes of the host with their namespaces and containers, like `ps -e -o pid,ppid,user,"
                + "stat,cgroupns,ipcns,mntns,netns,pidns,userns,utsns,cmd`, sorted by PID.")
public record ProcessList(
        @Schema(description = "The processes, by ascending PID.")
        List<ProcessView> processes,

        SnapshotInfo snapshot) implements PlainText {

    /** A ps-like table: numbers right-aligned, unknown values as "-", the command last and never cut. */
    @Override
    public String toPlainText() {
        return LsnsTable.table(
                processes,
                List.of(
                        new LsnsTable.Column<>("PID", true, ProcessView::pid),
                        new LsnsTable.Column<>("PPID", true, ProcessView::ppid),
                        new LsnsTable.Column<>("USER", false, p -> dash(p.user())),
                        new LsnsTable.Column<>("S", false, ProcessView::state),
                        new LsnsTable.Column<>(
                                "CGROUPNS", true, p -> dash(p.namespaces().cgroup())),
                        new LsnsTable.Column<>(
                                "IPCNS", true, p -> dash(p.namespaces().ipc())),
                        new LsnsTable.Column<>(
                                "MNTNS", true, p -> dash(p.namespaces().mnt())),
                        new LsnsTable.Column<>(
                                "NETNS", true, p -> dash(p.namespaces().net())),
                        new LsnsTable.Column<>(
                                "PIDNS", true, p -> dash(p.namespaces().pid())),
                        new LsnsTable.Column<>(
                                "TIMENS", true, p -> dash(p.namespaces().time())),
                        new LsnsTable.Column<>(
                                "USERNS", true, p -> dash(p.namespaces().user())),
                        new LsnsTable.Column<>(
                                "UTSNS", true, p -> dash(p.namespaces().uts())),
                        new LsnsTable.Column<>("CONTAINER", false, p -> ContainerView.brief(p.container())),
                        new LsnsTable.Column<>("COMMAND", false, ProcessView::command)));
    }

    static Object dash(Object value) {
        return value == null ? "-" : value;
    }
}
