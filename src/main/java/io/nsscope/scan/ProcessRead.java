package io.nsscope.scan;

import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import java.util.List;

/**
 * What reading one process found.
 *
 * @param info          the process
 * @param looseThreads  its threads in other namespaces
 * @param namespaceFds  the namespaces its descriptors refer to
 * @param socketFds     its sockets to ask for their network namespace (those of a descriptor table read whole)
 * @param socketsHeld   the foreign network namespaces its sockets held at the last scan, checked again (the same
 *                      socket, by inode, in the same descriptor)
 */
record ProcessRead(
        ProcessInfo info,
        List<LooseThread> looseThreads,
        List<NamespaceRef> namespaceFds,
        List<SocketFd> socketFds,
        List<SocketHeld> socketsHeld) {

    ProcessRead {
        // Kept for every process between scans, and most have none of these: one shared empty list rather than an
        // ArrayList each (docs/image.md, "Memory at 10,000 processes").
        looseThreads = looseThreads.isEmpty() ? List.of() : looseThreads;
        namespaceFds = namespaceFds.isEmpty() ? List.of() : namespaceFds;
        socketFds = socketFds.isEmpty() ? List.of() : socketFds;
        socketsHeld = socketsHeld.isEmpty() ? List.of() : socketsHeld;
    }
}
