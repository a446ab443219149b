package io.nsscope.web.text;

/** A response body that also has a plain-text form, served on {@code Accept: text/plain} (for curl users). */
public interface PlainText {

    /** The text, ending with a newline. */
    String toPlainText();
}
