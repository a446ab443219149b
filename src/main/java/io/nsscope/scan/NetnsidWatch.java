package io.nsscope.scan;

import io.nsscope.jna.Fd;
import io.nsscope.jna.RouteNetlink;
import io.nsscope.jna.SyscallException;

/**
 * Tells a scan whether the IDs nsscope's network namespace gives others (NETNSID, {@code RTM_GETNSID}) may have changed
 * since the last scan asked them, so that the ID of a net namespace already known is asked again only then, not at
 * every scan for every net namespace.
 *
 * <p>The kernel tells the route netlink group {@code RTNLGRP_NSID} of the namespace that gives an ID each time it
 * gives one ({@code RTM_NEWNSID}, from {@code ip netns set} or from {@code peernet2id_alloc} naming a peer) or drops
 * one ({@code RTM_DELNSID}): nsscope listens there, in its own network namespace, the one whose IDs it asks (as
 * {@code lsns} does). Whatever it heard since the last scan, and a lost message (the queue overflowed), has every ID
 * asked again; a namespace seen for the first time is always asked. Without the subscription (no netlink, a seccomp
 * profile), every scan asks every ID, as before.
 *
 * <p>The messages are read before the IDs are asked: an ID given while a scan asks them is heard by the next scan; what
 * a scan that then failed heard is asked again by the next.
 */
final class NetnsidWatch implements AutoCloseable {

    private final Fd subscription;
    /** Whether what was heard has not yet been asked by a scan that succeeded (the first scan asks everything). */
    private volatile boolean owed = true;

    NetnsidWatch() {
        Fd fd;
        try {
            fd = RouteNetlink.subscribeToNsids();
        } catch (SyscallException e) {
            fd = null;
        }
        this.subscription = fd;
    }

    /**
     * Whether every known net namespace's ID is to be asked again: something was heard since the last scan that
     * succeeded, or nothing can be.
     */
    boolean askAgain() {
        if (subscription == null) {
            return true;
        }
        try {
            if (RouteNetlink.heardSince(subscription)) {
                owed = true;
            }
        } catch (SyscallException e) {
            owed = true;
        }
        return owed;
    }

    /** A scan that asked as {@link #askAgain()} said succeeded: what was heard before it is answered. */
    void asked() {
        owed = false;
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
