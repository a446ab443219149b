package io.nsscope.scan;

import io.nsscope.namespace.Holder;
import io.nsscope.namespace.NamespaceType;
import java.nio.file.Path;

/**
 * A reference to a namespace other than a member process: a holder, and the path through which the namespace
 * file can be opened (for the nsfs ioctls).
 */
record NamespaceRef(NamespaceType type, long inode, Holder holder, Path access) {
}
