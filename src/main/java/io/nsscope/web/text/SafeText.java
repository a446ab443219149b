package io.nsscope.web.text;

import java.nio.charset.StandardCharsets;

/**
 * Text from other users (argv, comm, host names, paths) made safe for an admin's terminal, as util-linux's
 * libsmartcols makes every {@code lsns} cell safe ({@code mbs_safe_encode_to_buffer} in lib/mbsalign.c, in a UTF-8
 * locale): each byte of a character that is not printable is written as {@code \xHH} (lower-case hex), and so is a
 * backslash followed by {@code x}, so that the output cannot be mistaken for an escape it is not. Not printable, as
 * glibc's {@code iswprint} sees it: control characters (C0, DEL and C1), the line and paragraph separators
 * (U+2028, U+2029), unassigned code points and lone surrogates (which are no valid UTF-8, so lsns escapes their
 * bytes one by one). Everything else is kept as it is, wide and invisible characters included, as lsns keeps them.
 * An escape sequence, a newline or a carriage return in a process's arguments therefore never reaches the terminal.
 */
public final class SafeText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {}

    /** The text with every unprintable character's bytes as {@code \xHH}; null stays null. */
    public static String escape(String text) {
        if (text == null || isSafe(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int length = Character.charCount(cp);
            if (cp == '\\' && i + 1 < text.length() && text.charAt(i + 1) == 'x') {
                hex(out, (byte) '\\');
            } else if (!printable(cp)) {
                for (byte b : utf8(cp)) {
                    hex(out, b);
                }
            } else {
                out.appendCodePoint(cp);
            }
            i += length;
        }
        return out.toString();
    }

    /** Whether glibc's {@code iswprint} holds for the code point in a UTF-8 locale. */
    static boolean printable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL,
                    Character.UNASSIGNED,
                    Character.SURROGATE,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    private static boolean isSafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f || (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == 'x')) {
                return false;
            }
        }
        return true;
    }

    /** A code point's UTF-8 bytes; a lone surrogate's as the three bytes it would take if it were encodable. */
    private static byte[] utf8(int cp) {
        if (Character.getType(cp) == Character.SURROGATE) {
            return new byte[] {
                (byte) (0xe0 | (cp >> 12)), (byte) (0x80 | ((cp >> 6) & 0x3f)), (byte) (0x80 | (cp & 0x3f))
            };
        }
        return new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
    }

    private static void hex(StringBuilder out, byte b) {
        out.append("\\x").append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
}
