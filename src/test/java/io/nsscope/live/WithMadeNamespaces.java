package io.nsscope.live;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the live tests against lsns, readlink and pstree share: the namespaces {@link MadeNamespaces} makes before
 * the class and stops after it (asserting nothing is left), the skip when they cannot be made (not root, a tool
 * missing), and nsscope's port.
 */
abstract class WithMadeNamespaces {

    static MadeNamespaces made;

    @LocalServerPort
    int port;

    @BeforeAll
    static void makeNamespaces() throws Exception {
        made = MadeNamespaces.start();
    }

    @BeforeEach
    void requirements() {
        made.assumeRunnable();
    }

    @AfterAll
    static void stopEverything() {
        made.stopAndAssertNothingLeft();
    }

    String get(String path, String accept) {
        return LsnsRows.get(port, path, accept);
    }
}
