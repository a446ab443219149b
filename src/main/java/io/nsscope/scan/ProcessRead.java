package io.nsscope.scan;

import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import java.util.List;

/**
 * What reading one process found: the process, its loose threads, the namespaces its descriptors refer to and the
 * descriptors that are sockets (checked later, if sockets are a source).
 */
record ProcessRead(ProcessInfo info, List<LooseThread> looseThreads, List<NamespaceRef> namespaceFds,
        List<Integer> socketFds) {
}
