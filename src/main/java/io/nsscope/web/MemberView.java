package io.nsscope.web;

import io.nsscope.process.ProcessInfo;
import io.nsscope.web.security.Redaction;
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
        @Schema(description = "The PID on the host.", example = "5438")
        int pid,

        @Schema(description = "The parent's PID on the host.", example = "5431")
        int ppid,

        @Schema(
                description = "The owner of /proc/PID (the effective UID); null if it could not be read.",
                example = "0",
                nullable = true)
        Integer uid,

        @Schema(
                description = "That UID's user name, or the number; null with the UID.",
                example = "root",
                nullable = true)
        String user,

        @Schema(description = "The command line, as lsns shows it.", example = "/sbin/init")
        String command) {

    static MemberView of(ProcessInfo p) {
        return new MemberView(p.pid(), p.ppid(), p.uid(), p.user(), Redaction.command(p.command()));
    }
}
