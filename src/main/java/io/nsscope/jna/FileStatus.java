package io.nsscope.jna;

/**
 * What {@code fstat(2)} says of an open file (inode(7)).
 *
 * @param device the {@code st_dev} of the file system holding it
 * @param inode  its {@code st_ino}
 * @param mode   its {@code st_mode}: the type ({@code S_IFMT} bits) and the permission bits
 * @param uid    its owner, {@code st_uid}
 * @param gid    its group, {@code st_gid}
 */
public record FileStatus(long device, long inode, int mode, long uid, long gid) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFSOCK = 0140000;

    /** Whether it is a regular file ({@code S_ISREG}). */
    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** Whether it is a socket ({@code S_ISSOCK}). */
    public boolean isSocket() {
        return (mode & S_IFMT) == S_IFSOCK;
    }

    /** The permission bits, {@code 07777}. */
    public int permissions() {
        return mode & 07777;
    }
}
