package io.nsscope.web;

import io.nsscope.process.ProcessInfo;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A process in a namespace.
 *
 * @param pid     its PID on the host
 * @param ppid    its parent's PID
 * @param uid     its UID (owner of /proc/PID)
 * @param user    that UID's name
 * @param command its command line, as lsns shows it
 */
@Schema(description = "A process in the namespace.")
public record MemberView(
        @Schema(example = "5438") int pid,
        @Schema(example = "5431") int ppid,
        @Schema(example = "0") Integer uid,
        @Schema(example = "root") String user,
        @Schema(example = "/sbin/init") String command) {

    static MemberView of(ProcessInfo p) {
        return new MemberView(p.pid(), p.ppid(), p.uid(), p.user(), p.command());
    }
}
