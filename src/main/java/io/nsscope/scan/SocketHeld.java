package io.nsscope.scan;

/**
 * A network namespace held by a socket of a process in another one.
 *
 * @param ref    the namespace and its holder ({@link io.nsscope.namespace.Holder.Kind#SOCKET})
 * @param socket the socket
 */
record SocketHeld(NamespaceRef ref, SocketFd socket) {}
