package io.nsscope.scan;

import io.nsscope.process.LooseThread;
import java.util.List;

/** What a scan found besides the processes: loose threads, holders and the hierarchy. */
record Discovery(List<LooseThread> looseThreads, List<NamespaceRef> refs, Relations relations) {

    static final Discovery NONE = new Discovery(List.of(), List.of(), Relations.NONE);
}
