package io.nsscope.scan;

/**
 * What one scan met.
 *
 * @param processes  processes in the snapshot
 * @param threads    threads of those processes (field 20 of each {@code stat})
 * @param unreadable processes kept with only part of their data, some file being denied (not root, hidepid,
 *                   a process the kernel will not let us inspect)
 * @param vanished   processes listed in the procfs root that exited before they could be read; not in the snapshot
 */
public record ScanCounts(int processes, long threads, int unreadable, int vanished) {}
