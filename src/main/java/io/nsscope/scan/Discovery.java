package io.nsscope.scan;

import io.nsscope.process.LooseThread;
import io.nsscope.procfs.Passwd;
import java.util.List;

/**
 * What a scan found besides the processes: loose threads, holders and the hierarchy, and the password database it
 * named users with.
 */
record Discovery(List<LooseThread> looseThreads, List<NamespaceRef> refs, Relations relations, Passwd users) {

    static final Discovery NONE = new Discovery(List.of(), List.of(), Relations.NONE, Passwd.EMPTY);
}
