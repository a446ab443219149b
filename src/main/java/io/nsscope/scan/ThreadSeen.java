package io.nsscope.scan;

import io.nsscope.namespace.NamespaceLink;
import java.util.Map;

/**
 * What a scan saw of one thread other than its process's first: where its {@code task/TID/ns/} links pointed, and its
 * name if they differ from its process's (a loose thread). Kept for the next scan, which reads them again only if the
 * thread ran.
 *
 * @param links the inode of each link of {@code /proc/PID/task/TID/ns/} that could be read
 * @param comm  {@code /proc/PID/task/TID/comm} if it was a loose thread, else null
 */
record ThreadSeen(Map<NamespaceLink, Long> links, String comm) {}
