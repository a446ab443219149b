package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.web.text.SafeText;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Text views escape other users' text as lsns does. The expected strings are what util-linux lsns 2.42.2 printed
 * (LC_ALL=C.UTF-8) for a process with these arguments (TextEscapingLiveIT checks it again on the live kernel).
 */
class SafeTextTest {

    @Test
    void escapesWhatLsnsEscapesAndKeepsWhatItKeeps() {
        assertThat(SafeText.escape(TextEscapingLiveIT.ARGV0))
                .isEqualTo("A\\x1b[31mred\\x09TAB\\x0aNL\\x7fDEL"
                        + "\\xc2\\x85NEL\\x5cxBS\u202eRLO\u4e2dZW\u200bX\u00a0NBSP\ufffdFFFD\ud83d\ude00EMOJI\u034fCGJ"
                        + "\\xe2\\x80\\xa8LS\ue000PUA\ufeffBOM");
    }

    @Test
    void plainTextIsLeftAlone() {
        String plain = "/usr/bin/python3 -c import time; time.sleep(20) [x] ~ \\ \\n 100%";
        assertThat(SafeText.escape(plain)).isSameAs(plain);
        assertThat(SafeText.escape(null)).isNull();
        assertThat(SafeText.escape("")).isEmpty();
    }

    @Test
    void loneSurrogatesAndUnassignedCodePointsAreBytes() {
        assertThat(SafeText.escape("a\ud800b")).isEqualTo("a\\xed\\xa0\\x80b");
        assertThat(SafeText.escape("\u0378")).isEqualTo("\\xcd\\xb8");
        assertThat(SafeText.escape("\u2029\u0000")).isEqualTo("\\xe2\\x80\\xa9\\x00");
        assertThat(SafeText.escape("\\x\\x")).isEqualTo("\\x5cx\\x5cx");
    }

    @Test
    void everyTextViewEscapes() {
        String evil = "evil\u001b]0;owned\u0007\r\nroot     1  0 /sbin/init";
        String safe = "evil\\x1b]0;owned\\x07\\x0d\\x0aroot     1  0 /sbin/init";
        NamespaceView ns = new NamespaceView(
                4026531834L,
                "uts",
                "/proc/7/ns/uts",
                1,
                7,
                1,
                evil,
                1000,
                "mallory",
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                false,
                null,
                null);
        assertThat(LsnsTable.render(List.of(ns))).contains(safe).doesNotContain("\u001b", "\r");
        assertThat(LsnsTable.renderMembers(List.of(new MemberView(7, 1, 1000, "mallory", evil))))
                .contains(safe)
                .hasLineCount(2);
        List<String> tree = PstreeDrawing.draw(
                new TreeView.TreeNode(
                        7, "b\u001b[2Jad", evil, List.of(new TreeView.TreeNode(8, "child\n", "child", List.of()))),
                PstreeDrawing.Style.ASCII);
        assertThat(tree).containsExactly("b\\x1b[2Jad(7)---child\\x0a(8)");
    }
}
