package io.nsscope.sandbox;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Sandbox ids: {@code sb-} and 16 random hex digits, unguessable and safe in paths and environments. */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    static String next() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "sb-" + HexFormat.of().formatHex(bytes);
    }

    static boolean valid(String id) {
        return id != null && id.matches("sb-[0-9a-f]{16}");
    }
}
