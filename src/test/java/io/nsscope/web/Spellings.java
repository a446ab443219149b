package io.nsscope.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ways of writing a path that servers, proxies and filters have read differently: percent-encoding, matrix
 * parameters, dot segments (plain and encoded), doubled and trailing slashes, encoded slashes and backslashes,
 * case, NUL, double encoding, the absolute form. Each spelling is {@link Kind#SAME} when Spring MVC routes it to the
 * canonical path, else {@link Kind#OTHER} (another path, or one the server refuses).
 */
final class Spellings {

    enum Kind {
        SAME,
        OTHER
    }

    record Spelling(String path, Kind kind) {
        @Override
        public String toString() {
            return path;
        }
    }

    private Spellings() {}

    /** Every spelling of {@code canonical} (an absolute path of one or more plain segments), itself excluded. */
    static List<Spelling> of(String canonical) {
        String[] segments = canonical.substring(1).split("/");
        String rest = canonical.substring(1);
        List<Spelling> out = new ArrayList<>();
        out.add(same(join(segments, s -> "%" + hex(s.charAt(0), false) + s.substring(1))));
        out.add(same(join(segments, s -> "%" + hex(s.charAt(0), true) + s.substring(1))));
        out.add(same(join(segments, Spellings::encodeAll)));
        out.add(same("http://localhost" + canonical));
        out.add(other(canonical + ";x"));
        out.add(other(canonical + ";x=1;y=2"));
        out.add(other(join(segments, s -> s + ";x")));
        out.add(other(canonical + "%3bx"));
        out.add(other(canonical + "/"));
        out.add(other("/" + canonical));
        out.add(other(canonical + "//"));
        out.add(other(canonical.replace("/", "//")));
        out.add(other("/./" + rest));
        out.add(other(canonical + "/."));
        out.add(other("/nope/../" + rest));
        out.add(other(canonical + "/nope/.."));
        out.add(other("/%2e/" + rest));
        out.add(other("/nope/%2e%2e/" + rest));
        out.add(other("/nope/.%2e/" + rest));
        out.add(other("/nope/..;/" + rest));
        out.add(other("/%2f" + rest));
        out.add(other("/nope%2f..%2f" + rest));
        out.add(other("/\\" + rest));
        out.add(other("/nope/..\\" + rest));
        out.add(other(canonical.toUpperCase(Locale.ROOT)));
        out.add(other("/" + Character.toUpperCase(rest.charAt(0)) + rest.substring(1)));
        out.add(other(canonical + "%00"));
        out.add(other(canonical + "%20"));
        out.add(other("/%25" + hex(rest.charAt(0), false) + rest.substring(1)));
        out.add(other("/%ef%bc%8f" + rest));
        return out;
    }

    private static Spelling same(String path) {
        return new Spelling(path, Kind.SAME);
    }

    private static Spelling other(String path) {
        return new Spelling(path, Kind.OTHER);
    }

    private static String join(String[] segments, java.util.function.UnaryOperator<String> each) {
        StringBuilder out = new StringBuilder();
        for (String s : segments) {
            out.append('/').append(each.apply(s));
        }
        return out.toString();
    }

    private static String encodeAll(String segment) {
        StringBuilder out = new StringBuilder();
        segment.chars().forEach(c -> out.append('%').append(hex((char) c, false)));
        return out.toString();
    }

    private static String hex(char c, boolean upper) {
        String h = String.format("%02x", (int) c);
        return upper ? h.toUpperCase(Locale.ROOT) : h;
    }
}
