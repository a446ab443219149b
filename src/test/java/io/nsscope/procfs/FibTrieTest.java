package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.procfs.FibTrie.Route;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class FibTrieTest {

    /**
     * The same namespace as {@link NetDevTest#DEV}, addresses 10.231.9.2/24 and 10.231.10.5/32 on dexpB and lo up;
     * main and local are one trie here, so each table prints it (trimmed to the 10.231 part in the second).
     */
    static final String FIB_TRIE = """
            Main:
              +-- 0.0.0.0/1 2 0 2
                 +-- 10.231.8.0/22 3 0 5
                    +-- 10.231.9.0/30 2 0 2
                       |-- 10.231.9.0
                          /24 link UNICAST
                       |-- 10.231.9.2
                          /32 host LOCAL
                    |-- 10.231.9.255
                       /32 link BROADCAST
                    |-- 10.231.10.5
                       /32 host LOCAL
                 +-- 127.0.0.0/8 2 0 2
                    +-- 127.0.0.0/31 1 0 0
                       |-- 127.0.0.0
                          /8 host LOCAL
                       |-- 127.0.0.1
                          /32 host LOCAL
                    |-- 127.255.255.255
                       /32 link BROADCAST
            Local:
              +-- 0.0.0.0/1 2 0 2
                 +-- 10.231.8.0/22 3 0 5
                    |-- 10.231.9.2
                       /32 host LOCAL
                       /32 host UNICAST tos=4
            Id 100:
              |-- 0.0.0.0
                 /0 universe UNICAST
            """;

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void everyRouteWithItsLeafAndTable() throws Exception {
        FibTrie trie = FibTrie.parse(FIB_TRIE);
        assertThat(trie.routes()).hasSize(10);
        assertThat(trie.routes().get(0)).isEqualTo(new Route("Main", ip("10.231.9.0"), 24, "link", "UNICAST"));
        assertThat(trie.routes().get(4)).isEqualTo(new Route("Main", ip("127.0.0.0"), 8, "host", "LOCAL"));
        assertThat(trie.routes().get(8)).isEqualTo(new Route("Local", ip("10.231.9.2"), 32, "host", "UNICAST"));
        assertThat(trie.routes().get(9)).isEqualTo(new Route("Id 100", ip("0.0.0.0"), 0, "universe", "UNICAST"));
        assertThat(trie.routes().stream()
                        .filter(Route::isLocal)
                        .map(r -> r.key().getHostAddress() + "/" + r.prefixLength()))
                .containsExactly("10.231.9.2/32", "10.231.10.5/32", "127.0.0.0/8", "127.0.0.1/32", "10.231.9.2/32");
    }

    @Test
    void emptyIsNoRoute() {
        assertThat(FibTrie.parse("").routes()).isEmpty();
        assertThat(FibTrie.parse("Main:\nLocal:\n").routes()).isEmpty();
    }

    @Test
    void malformedLinesAreRejected() {
        assertThatThrownBy(() -> FibTrie.parse("Main:\n  /32 host LOCAL\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FibTrie.parse("Main:\n  |-- 10.1.2\n     /32 host LOCAL\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FibTrie.parse("Main:\n  |-- 10.1.2.300\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FibTrie.parse("Main:\n  |-- example.org\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
