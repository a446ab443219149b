package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswdTest {

    private final Passwd passwd = Passwd.parse("""
            root:x:0:0:root:/root:/bin/bash
            # comment
            nix:x:1000:1000:Nix:/home/nix:/bin/bash
            shadow-nix:x:1000:1000::/home/nix:/bin/sh
            +nisuser
            broken
            bad:x:notanumber:0::/:/bin/sh
            """);

    @Test
    void namesUids() {
        assertThat(passwd.nameOf(0)).isEqualTo("root");
        assertThat(passwd.nameOf(1000)).isEqualTo("nix");
    }

    @Test
    void firstEntryOfAUidWinsAsWithGetpwuid() {
        assertThat(passwd.names()).containsEntry(1000, "nix").hasSize(2);
    }

    @Test
    void aUidWithoutNameShowsAsItsNumber() {
        assertThat(passwd.nameOf(65534)).isEqualTo("65534");
        assertThat(Passwd.EMPTY.nameOf(0)).isEqualTo("0");
    }
}
