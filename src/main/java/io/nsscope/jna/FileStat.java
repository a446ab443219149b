package io.nsscope.jna;

/**
 * What {@code statx(2)} says of a file, as far as nsscope asks: which filesystem, which inode, what type, whose.
 *
 * @param device the filesystem's device, {@code stx_dev_major} in the high 32 bits and {@code stx_dev_minor} in the
 *               low ones (only ever compared: every namespace file is on the one nsfs device)
 * @param inode  {@code stx_ino}: for a namespace file, the namespace's inode number (lsns's NS); for a socket, the
 *               number in its {@code socket:[N]} link
 * @param mode   {@code stx_mode}: the file type ({@code S_IFMT} bits) and permissions
 * @param uid    {@code stx_uid}: the owner; for {@code /proc/PID}, the process's effective UID
 */
public record FileStat(long device, long inode, int mode, int uid) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFDIR = 0040000;

    /** {@code S_ISSOCK}: a socket. */
    public boolean isSocket() {
        return (mode & S_IFMT) == S_IFSOCK;
    }

    /** {@code S_ISDIR}: a directory. */
    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }
}
