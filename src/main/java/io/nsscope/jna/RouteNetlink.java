package io.nsscope.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Route netlink sockets (rtnetlink(7)), and the one question nsscope asks on them itself: the ID a network namespace
 * gives another ({@code RTM_GETNSID}, as {@code lsns} asks it). Requests are written with
 * {@link Descriptors#write} and answers read with {@link Descriptors#read}, one datagram per read; {@link Netlink}
 * frames them.
 */
public final class RouteNetlink {

    static final int RTM_NEWNSID = 88;
    static final int RTM_GETNSID = 90;
    static final int NETNSA_NSID = 1;
    static final int NETNSA_FD = 3;
    /** {@code struct rtgenmsg}: the family (AF_UNSPEC), padded to 4 bytes. */
    private static final int RTGENMSG = 4;

    /**
     * {@code RTNLGRP_NSID} of {@code linux/rtnetlink.h}: the group told whenever the socket's network namespace gives
     * an ID to another ({@code RTM_NEWNSID}: {@code ip netns set}, or the kernel allocating one to name a peer) or
     * drops one ({@code RTM_DELNSID}).
     */
    static final int RTNLGRP_NSID = 28;

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int NETLINK_ROUTE = 0;

    /** Directly mapped, and bound when this class is first used (never later, on a thread that changed namespaces). */
    private static final class Direct {
        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native int bind(int fd, byte[] address, int length) throws LastErrorException;
    }

    static {
        Native.register(Direct.class, Libc.NAME);
    }

    private RouteNetlink() {}

    /**
     * {@code socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)}: a route netlink socket in the calling
     * thread's network namespace (a socket keeps the namespace it was made in).
     */
    public static Fd open() {
        try {
            return new Fd(Direct.socket(AF_NETLINK, SOCK_RAW | Libc.O_CLOEXEC, NETLINK_ROUTE));
        } catch (LastErrorException e) {
            throw Libc.fail("socket(AF_NETLINK)", e);
        }
    }

    /**
     * A route netlink socket in the calling thread's network namespace that hears of every ID that namespace gives or
     * drops ({@link #RTNLGRP_NSID}), read without waiting ({@code SOCK_NONBLOCK}) by {@link #heardSince}. Joining
     * this group needs no privilege.
     */
    public static Fd subscribeToNsids() {
        Fd fd;
        try {
            fd = new Fd(Direct.socket(AF_NETLINK, SOCK_RAW | Libc.O_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE));
        } catch (LastErrorException e) {
            throw Libc.fail("socket(AF_NETLINK)", e);
        }
        try {
            Direct.bind(fd.value(), nsidGroupAddress(), 12);
        } catch (LastErrorException e) {
            fd.close();
            throw Libc.fail("bind(RTNLGRP_NSID)", e);
        }
        return fd;
    }

    /** {@code struct sockaddr_nl} with the kernel choosing the port and {@link #RTNLGRP_NSID}'s bit in the groups. */
    static byte[] nsidGroupAddress() {
        return ByteBuffer.allocate(12)
                .order(ByteOrder.nativeOrder())
                .putShort((short) AF_NETLINK)
                .putShort((short) 0) // nl_pad
                .putInt(0) // nl_pid: the kernel assigns one
                .putInt(1 << (RTNLGRP_NSID - 1)) // nl_groups: group N is bit N - 1
                .array();
    }

    /**
     * Whether the kernel told the subscription anything since the last call: reads every message waiting, without
     * waiting for more. A receive queue that overflowed (ENOBUFS: messages were lost) counts as told.
     */
    public static boolean heardSince(Fd subscription) {
        byte[] buffer = new byte[4096];
        boolean heard = false;
        while (true) {
            try {
                if (Descriptors.read(subscription, buffer) <= 0) {
                    return heard;
                }
                heard = true;
            } catch (SyscallException e) {
                if (e.errno() == Errno.EAGAIN) {
                    return heard;
                }
                if (e.errno() != Errno.ENOBUFS) {
                    throw e;
                }
                heard = true;
            }
        }
    }

    /**
     * The ID the socket's network namespace gives another one ({@code RTM_GETNSID} with {@code NETNSA_FD}): a
     * number, {@code -1} when none is assigned ({@code NETNSA_NSID_NOT_ASSIGNED}), or null if the kernel answered
     * with an error.
     */
    public static Integer netnsid(Fd netlink, Fd netns) {
        byte[] answer = new byte[256];
        int n;
        try {
            Descriptors.write(netlink, netnsidRequest(netns.value()));
            n = Descriptors.read(netlink, answer);
        } catch (SyscallException e) {
            throw new SyscallException("netlink RTM_GETNSID", e.code());
        }
        return netnsid(Arrays.copyOf(answer, n));
    }

    /** The {@code RTM_GETNSID} request for the namespace open as {@code fd} in the caller. */
    static byte[] netnsidRequest(int fd) {
        byte[] body = Arrays.copyOf(new byte[RTGENMSG], RTGENMSG + 8);
        System.arraycopy(Netlink.intAttribute(NETNSA_FD, fd), 0, body, RTGENMSG, 8);
        return Netlink.request(RTM_GETNSID, Netlink.NLM_F_REQUEST, 0, body);
    }

    /** The {@code NETNSA_NSID} of an {@code RTM_NEWNSID} answer; null for an error or anything else. */
    static Integer netnsid(byte[] answer) {
        List<ByteBuffer> messages = new ArrayList<>();
        try {
            Netlink.split(answer, messages);
        } catch (SyscallException | IllegalStateException e) {
            return null; // the kernel's refusal (or a garbled answer): no ID to show
        }
        for (ByteBuffer m : messages) {
            if (Netlink.type(m) == RTM_NEWNSID) {
                for (Netlink.Attribute a : Netlink.attributes(m, Netlink.HEADER + RTGENMSG)) {
                    if (a.type() == NETNSA_NSID && a.length() >= 4) {
                        return m.getInt(a.offset());
                    }
                }
            }
        }
        return null;
    }
}
