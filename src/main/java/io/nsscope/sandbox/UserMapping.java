package io.nsscope.sandbox;

import io.nsscope.namespace.IdRange;
import java.util.List;

/**
 * How a sandbox's user namespace maps ids.
 *
 * @param mode what was asked for
 * @param maps the explicit maps ({@link Mode#EXPLICIT} only, else empty)
 */
public record UserMapping(Mode mode, List<IdRange> maps) {

    /** The three ways to map. */
    public enum Mode {
        /** No map is written, like {@code unshare -U}: inside, every id is the overflow id 65534. */
        NONE,
        /** Root inside is the sandbox's pool UID outside (one id). */
        ROOT,
        /** The request's maps, their outside ranges inside the pool. */
        EXPLICIT
    }

    public UserMapping {
        maps = maps == null ? List.of() : List.copyOf(maps);
    }

    /** {@code "none"}. */
    public static UserMapping none() {
        return new UserMapping(Mode.NONE, List.of());
    }

    /** {@code "root"}. */
    public static UserMapping root() {
        return new UserMapping(Mode.ROOT, List.of());
    }

    /** Explicit maps. */
    public static UserMapping explicit(List<IdRange> maps) {
        return new UserMapping(Mode.EXPLICIT, maps);
    }
}
