package io.nsscope.namespace;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of PIDs or thread IDs kept as an {@code int[]}. A snapshot's namespaces list every process
 * once per type (about eight times the processes in all): as {@code List<Integer>} each PID above 127 was a boxed
 * {@code Integer} of its own (docs/image.md, "Memory at 10,000 processes"). A value is boxed when read. Nulls are
 * refused, as {@link List#copyOf} refuses them.
 */
public final class IntList extends AbstractList<Integer> implements RandomAccess {

    private static final IntList EMPTY = new IntList(new int[0]);

    private final int[] values;

    private IntList(int[] values) {
        this.values = values;
    }

    /** An immutable copy of {@code values} (the same instance if it is one already). */
    public static List<Integer> copyOf(Collection<Integer> values) {
        if (values instanceof IntList same) {
            return same;
        }
        if (values.isEmpty()) {
            return EMPTY;
        }
        int[] copy = new int[values.size()];
        int i = 0;
        for (Integer v : values) {
            copy[i++] = v; // unboxing refuses null
        }
        return new IntList(i == copy.length ? copy : Arrays.copyOf(copy, i));
    }

    @Override
    public Integer get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    @Override
    public int indexOf(Object o) {
        if (o instanceof Integer v) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == v) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values); // the same as List.hashCode of the boxed values
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntList other ? Arrays.equals(values, other.values) : super.equals(o);
    }
}
