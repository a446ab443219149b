package io.nsscope.scan;

/**
 * A descriptor of a process that is a socket.
 *
 * @param fd    its number in {@code /proc/PID/fd/}
 * @param inode the socket's inode ({@code stx_ino} of the open file, the number in {@code socket:[N]}): the same
 *              number means the same socket, whose network namespace never changes
 */
record SocketFd(int fd, long inode) {}
