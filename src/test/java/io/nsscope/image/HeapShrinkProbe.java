package io.nsscope.image;

/**
 * Run by {@link ImageSettingsTest} in a JVM of its own with the image's options: keeps {@code args[0]} MiB live,
 * grows the heap with garbage, collects fully five times (the serial collector shrinks in steps: none on the first,
 * all on the fourth) and prints the heap it then keeps committed, in bytes.
 */
final class HeapShrinkProbe {

    private HeapShrinkProbe() {}

    @SuppressWarnings("unused")
    private static volatile Object sink;

    public static void main(String[] args) {
        int liveMib = Integer.parseInt(args[0]);
        byte[][] live = new byte[liveMib][];
        for (int i = 0; i < liveMib; i++) {
            live[i] = new byte[1 << 20];
        }
        for (int i = 0; i < 400; i++) {
            sink = new byte[256 << 10]; // a scan's and a rendering's garbage
        }
        sink = null;
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        System.out.println("committed=" + Runtime.getRuntime().totalMemory() + " max="
                + Runtime.getRuntime().maxMemory() + " live=" + live.length);
    }
}
