package io.nsscope.scan;

import io.nsscope.namespace.Holder;
import io.nsscope.namespace.NamespaceType;

/**
 * A reference to a namespace other than a member process: a holder, and how the namespace file can be opened (for
 * the nsfs ioctls; null if it cannot be).
 */
record NamespaceRef(NamespaceType type, long inode, Holder holder, NamespaceOpener access) {}
