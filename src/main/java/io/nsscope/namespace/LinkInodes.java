package io.nsscope.namespace;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map from the links of {@code /proc/<pid>/ns/} to their namespaces' inodes, kept as one {@code long}
 * per link. A snapshot holds one per process (tens of thousands on a large node): an {@code EnumMap} of boxed
 * {@code Long}s behind an unmodifiable wrapper took about 2½ times the memory (docs/image.md, "Memory at 10,000
 * processes"). Iterates in {@link NamespaceLink} order, like an {@code EnumMap}; a value is boxed when read.
 */
public final class LinkInodes extends AbstractMap<NamespaceLink, Long> {

    private static final NamespaceLink[] LINKS = NamespaceLink.values();
    private static final LinkInodes EMPTY = new LinkInodes(0, new long[0]);

    /** Bit {@code ordinal} set: that link is present. */
    private final int present;
    /** The inodes by link ordinal, as long as the highest link present. */
    private final long[] inodes;

    private LinkInodes(int present, long[] inodes) {
        this.present = present;
        this.inodes = inodes;
    }

    /**
     * An immutable copy of {@code links} (the same instance if it is one already); a {@code null} value counts as
     * absent.
     */
    public static Map<NamespaceLink, Long> copyOf(Map<NamespaceLink, Long> links) {
        if (links instanceof LinkInodes same) {
            return same;
        }
        int present = 0;
        int length = 0;
        long[] inodes = new long[LINKS.length];
        for (Map.Entry<NamespaceLink, Long> e : links.entrySet()) {
            int i = Objects.requireNonNull(e.getKey(), "link").ordinal();
            if (e.getValue() != null) {
                present |= 1 << i;
                inodes[i] = e.getValue();
                length = Math.max(length, i + 1);
            }
        }
        if (present == 0) {
            return EMPTY;
        }
        return new LinkInodes(present, length == inodes.length ? inodes : Arrays.copyOf(inodes, length));
    }

    private boolean has(int ordinal) {
        return (present & (1 << ordinal)) != 0;
    }

    @Override
    public Long get(Object key) {
        return key instanceof NamespaceLink link && has(link.ordinal()) ? inodes[link.ordinal()] : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof NamespaceLink link && has(link.ordinal());
    }

    @Override
    public boolean containsValue(Object value) {
        if (value instanceof Long inode) {
            for (int i = 0; i < inodes.length; i++) {
                if (has(i) && inodes[i] == inode) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public int size() {
        return Integer.bitCount(present);
    }

    @Override
    public boolean isEmpty() {
        return present == 0;
    }

    @Override
    public Set<Map.Entry<NamespaceLink, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<NamespaceLink, Long>> iterator() {
                return new Iterator<>() {
                    private int left = present;

                    @Override
                    public boolean hasNext() {
                        return left != 0;
                    }

                    @Override
                    public Map.Entry<NamespaceLink, Long> next() {
                        if (left == 0) {
                            throw new NoSuchElementException();
                        }
                        int i = Integer.numberOfTrailingZeros(left);
                        left &= left - 1;
                        return new AbstractMap.SimpleImmutableEntry<>(LINKS[i], inodes[i]);
                    }
                };
            }

            @Override
            public int size() {
                return LinkInodes.this.size();
            }
        };
    }
}
