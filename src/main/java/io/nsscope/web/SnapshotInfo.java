package io.nsscope.web;

import io.nsscope.scan.Snapshot;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * Which scan a response was served from, and what it met.
 *
 * @param sequence   the scan's number since the service started
 * @param takenAt    when the scan started (UTC); nothing in the response is older
 * @param durationMs how long the scan took, in milliseconds
 * @param processes  processes read
 * @param threads    threads of those processes
 * @param unreadable processes kept with only part of their data (permission denied on some file)
 * @param vanished   processes that exited while the scan read them (left out)
 */
@Schema(description = "The scan this response was served from.")
public record SnapshotInfo(
        @Schema(description = "The scan's number since the service started.", example = "42")
        long sequence,

        @Schema(
                description = "When the scan started (UTC). No data in the response is older.",
                example = "2026-11-29T01:02:03.456Z")
        Instant takenAt,

        @Schema(description = "How long the scan took, in milliseconds.", example = "38.5")
        double durationMs,

        @Schema(description = "Processes read by the scan.", example = "312")
        int processes,

        @Schema(description = "Threads of those processes (their thread counts in /proc/PID/stat).", example = "1024")
        long threads,

        @Schema(
                description = "Processes kept with only part of their data because some of their files were "
                        + "denied (not root, hidepid, a process the kernel will not let us inspect).",
                example = "1")
        int unreadable,

        @Schema(description = "Processes that exited while the scan read them; they are left out.", example = "0")
        int vanished) {

    static SnapshotInfo of(Snapshot snapshot) {
        return new SnapshotInfo(
                snapshot.sequence(),
                snapshot.takenAt(),
                snapshot.duration().toNanos() / 1e6,
                snapshot.counts().processes(),
                snapshot.counts().threads(),
                snapshot.counts().unreadable(),
                snapshot.counts().vanished());
    }
}
