package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Netlink framing on bytes, laid out as the kernel lays them (native byte order, 4-byte alignment). */
class NetlinkTest {

    private static ByteBuffer header(ByteBuffer b, int length, int type) {
        return b.putInt(length)
                .putShort((short) type)
                .putShort((short) 2)
                .putInt(1)
                .putInt(0);
    }

    @Test
    void aRequestIsAHeaderThenTheBodyPaddedToFourBytes() {
        ByteBuffer b = ByteBuffer.wrap(
                        Netlink.request(22, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, 7, new byte[] {10, 0, 0, 0, 9}))
                .order(ByteOrder.nativeOrder());
        assertThat(b.limit()).isEqualTo(24);
        assertThat(b.getInt(0)).isEqualTo(24);
        assertThat(b.getShort(4)).isEqualTo((short) 22);
        assertThat(b.getShort(6)).isEqualTo((short) 0x301);
        assertThat(b.getInt(8)).isEqualTo(7);
        assertThat(b.getInt(12)).isZero(); // port 0: the kernel
        assertThat(b.get(16)).isEqualTo((byte) 10);
        assertThat(b.get(20)).isEqualTo((byte) 9);
        assertThat(b.get(21)).isZero();
    }

    @Test
    void anIntAttributeIsLengthTypeValue() {
        ByteBuffer b = ByteBuffer.wrap(Netlink.intAttribute(3, -5)).order(ByteOrder.nativeOrder());
        assertThat(b.limit()).isEqualTo(8);
        assertThat(b.getShort(0)).isEqualTo((short) 8);
        assertThat(b.getShort(2)).isEqualTo((short) 3);
        assertThat(b.getInt(4)).isEqualTo(-5);
    }

    @Test
    void aDatagramSplitsIntoItsMessagesUntilDone() {
        ByteBuffer d = ByteBuffer.allocate(20 + 24).order(ByteOrder.nativeOrder());
        header(d, 20, 16).putInt(42); // a data message with a 4-byte body
        header(d, 21, 20).putInt(43).put((byte) 7); // another, whose length is not a multiple of 4
        List<ByteBuffer> into = new ArrayList<>();
        assertThat(Netlink.split(d.array(), into)).isFalse();
        assertThat(into).hasSize(2);
        assertThat(Netlink.type(into.get(0))).isEqualTo(16);
        assertThat(into.get(0).getInt(16)).isEqualTo(42);
        assertThat(Netlink.type(into.get(1))).isEqualTo(20);
        assertThat(into.get(1).limit()).isEqualTo(21);
        assertThat(into.get(1).getInt(16)).isEqualTo(43);

        ByteBuffer done = header(ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()), 16, Netlink.NLMSG_DONE);
        assertThat(Netlink.split(done.array(), into)).isTrue();
        assertThat(into).hasSize(2); // NLMSG_DONE ends the answer and is not a message of it
    }

    @Test
    void anErrorMessageIsASyscallExceptionWithTheKernelsErrnoAndAnAcknowledgementIsSkipped() {
        ByteBuffer ack = header(ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()), 20, Netlink.NLMSG_ERROR)
                .putInt(0);
        List<ByteBuffer> into = new ArrayList<>();
        assertThat(Netlink.split(ack.array(), into)).isFalse();
        assertThat(into).isEmpty();
        ByteBuffer error = header(ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()), 20, Netlink.NLMSG_ERROR)
                .putInt(-1);
        assertThatThrownBy(() -> Netlink.split(error.array(), into))
                .isInstanceOfSatisfying(SyscallException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EPERM);
                    assertThat(e.syscall()).isEqualTo("netlink");
                });
    }

    @Test
    void aMessageLongerThanItsDatagramIsRefused() {
        ByteBuffer bad = header(ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()), 64, 16);
        assertThatThrownBy(() -> Netlink.split(bad.array(), new ArrayList<>()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("64");
    }

    @Test
    void attributesAreReadUpToTheFirstTruncatedOne() {
        ByteBuffer m = ByteBuffer.allocate(16 + 8 + 8 + 4).order(ByteOrder.nativeOrder());
        header(m, m.capacity(), 16);
        m.putShort((short) 5).putShort((short) (0x8000 | 3)).put((byte) 'x').put(new byte[3]); // NLA_F_NESTED, padded
        m.putShort((short) 8).putShort((short) 1).putInt(77);
        m.putShort((short) 12).putShort((short) 2); // claims more than is there
        List<Netlink.Attribute> attributes = Netlink.attributes(m, 16);
        assertThat(attributes).containsExactly(new Netlink.Attribute(3, 20, 1), new Netlink.Attribute(1, 28, 4));
        assertThat(m.getInt(attributes.get(1).offset())).isEqualTo(77);
    }
}
