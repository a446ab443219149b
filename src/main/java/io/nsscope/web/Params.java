package io.nsscope.web;

import io.nsscope.namespace.NamespaceType;
import io.nsscope.web.problem.InvalidParameterException;

/** Parses path and query parameters with messages that say what was wrong and what is allowed. */
final class Params {

    private Params() {}

    static NamespaceType type(String parameter, String value) {
        return NamespaceType.fromKernelName(value)
                .orElseThrow(() -> new InvalidParameterException(
                        parameter,
                        "'" + value + "' is not a namespace type; valid types are "
                                + String.join(", ", NamespaceType.kernelNames()) + ".",
                        NamespaceType.kernelNames()));
    }

    static int pid(String parameter, String value) {
        long pid = number(parameter, value, "a PID");
        if (pid < 1 || pid > Integer.MAX_VALUE) {
            throw new InvalidParameterException(
                    parameter, "'" + value + "' is not a PID: PIDs are positive integers.", null);
        }
        return (int) pid;
    }

    static long inode(String parameter, String value) {
        long ns = number(parameter, value, "a namespace inode number");
        if (ns < 1) {
            throw new InvalidParameterException(
                    parameter, "'" + value + "' is not a namespace inode number: they are positive integers.", null);
        }
        return ns;
    }

    static int uid(String parameter, String value) {
        long uid = number(parameter, value, "a UID");
        if (uid < 0 || uid > 0xFFFF_FFFEL) {
            throw new InvalidParameterException(parameter, "'" + value + "' is not a UID (0 to 4294967294).", null);
        }
        return (int) uid;
    }

    static boolean bool(String parameter, String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new InvalidParameterException(
                        parameter, "'" + value + "' is not true or false.", java.util.List.of("true", "false"));
        };
    }

    private static long number(String parameter, String value, String what) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(
                    parameter, "'" + value + "' is not " + what + ": a decimal number is " + "expected.", null);
        }
    }
}
