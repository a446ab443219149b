package io.nsscope.jna;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The framing of netlink(7) messages, as pure functions over bytes: a header ({@code struct nlmsghdr}, 16 bytes:
 * length, type, flags, sequence, port), a family-specific body, then attributes ({@code struct nlattr}: length, type,
 * data), everything in the host's byte order and aligned to 4 bytes. What the messages mean (links, addresses,
 * namespace IDs) is the caller's; the socket is {@link RouteNetlink}'s.
 */
public final class Netlink {

    /** {@code sizeof(struct nlmsghdr)}. */
    public static final int HEADER = 16;
    /** {@code NLMSG_ERROR}: an error code (0 for an acknowledgement), then the request's header. */
    public static final int NLMSG_ERROR = 2;
    /** {@code NLMSG_DONE}: the end of a dump. */
    public static final int NLMSG_DONE = 3;
    /** {@code NLM_F_REQUEST}: every request carries it. */
    public static final int NLM_F_REQUEST = 1;
    /** {@code NLM_F_DUMP}: all objects of the kind, in one or more datagrams ended by {@link #NLMSG_DONE}. */
    public static final int NLM_F_DUMP = 0x300;

    private static final int ATTRIBUTE_HEADER = 4;

    /**
     * One attribute of a message.
     *
     * @param type   {@code nla_type} without the {@code NLA_F_NESTED} and {@code NLA_F_NET_BYTEORDER} bits
     * @param offset where its data starts in the message
     * @param length its data's length, without the attribute header or padding
     */
    public record Attribute(int type, int offset, int length) {}

    private Netlink() {}

    /** A request: a header (sequence {@code sequence}, port 0: the kernel) followed by {@code body}, padded. */
    public static byte[] request(int type, int flags, int sequence, byte[] body) {
        int length = HEADER + align(body.length);
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt(length)
                .putShort((short) type)
                .putShort((short) flags)
                .putInt(sequence)
                .putInt(0)
                .put(body);
        return b.array();
    }

    /** A 32-bit attribute ({@code nla_put_u32}, {@code nla_put_s32}). */
    public static byte[] intAttribute(int type, int value) {
        return ByteBuffer.allocate(ATTRIBUTE_HEADER + 4)
                .order(ByteOrder.nativeOrder())
                .putShort((short) (ATTRIBUTE_HEADER + 4))
                .putShort((short) type)
                .putInt(value)
                .array();
    }

    /** The message type ({@code nlmsg_type}) of a message as {@link #split} gives it. */
    public static int type(ByteBuffer message) {
        return message.getShort(4) & 0xffff;
    }

    /**
     * Splits one datagram into its messages, adding the data ones (each its own view, in the host's byte order) to
     * {@code into}; acknowledgements are left out.
     *
     * @return whether the datagram ended the answer ({@code NLMSG_DONE})
     * @throws SyscallException      for an {@code NLMSG_ERROR} message with an error code: the kernel's errno
     * @throws IllegalStateException for a message whose length is out of the datagram
     */
    public static boolean split(byte[] datagram, List<ByteBuffer> into) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        int offset = 0;
        while (offset + HEADER <= datagram.length) {
            int length = b.getInt(offset);
            int type = b.getShort(offset + 4) & 0xffff;
            if (length < HEADER || offset + length > datagram.length) {
                throw new IllegalStateException("netlink: malformed message of length " + length);
            }
            if (type == NLMSG_DONE) {
                return true;
            }
            if (type == NLMSG_ERROR) {
                int error = b.getInt(offset + HEADER);
                if (error != 0) {
                    throw new SyscallException("netlink", -error);
                }
            } else {
                into.add(b.slice(offset, length).order(ByteOrder.nativeOrder()));
            }
            offset += align(length);
        }
        return false;
    }

    /** The attributes of a message from {@code offset} on (after its header and body); a truncated one ends them. */
    public static List<Attribute> attributes(ByteBuffer message, int offset) {
        List<Attribute> attributes = new ArrayList<>();
        int end = message.limit();
        int at = offset;
        while (at + ATTRIBUTE_HEADER <= end) {
            int length = message.getShort(at) & 0xffff;
            int type = message.getShort(at + 2) & 0x3fff; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER
            if (length < ATTRIBUTE_HEADER || at + length > end) {
                break;
            }
            attributes.add(new Attribute(type, at + ATTRIBUTE_HEADER, length - ATTRIBUTE_HEADER));
            at += align(length);
        }
        return attributes;
    }

    /** {@code NLMSG_ALIGN} and {@code NLA_ALIGN}: rounded up to 4 bytes. */
    public static int align(int length) {
        return (length + 3) & ~3;
    }
}
