package io.nsscope.web.security;

import io.nsscope.events.NamespaceEvent;
import java.util.List;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * {@code nsscope.api.redact-command-args}: command lines can hold secrets (passwords, tokens given as arguments), so
 * every {@code command} field can show only the executable. {@link RedactionMark} marks each request; the views ask
 * here.
 */
public final class Redaction {

    static final String ATTRIBUTE = Redaction.class.getName() + ".active";

    private Redaction() {}

    /** Whether the current request is answered with redacted commands. */
    public static boolean active() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes != null
                && Boolean.TRUE.equals(attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
    }

    /** A command line as lsns shows it (arguments joined by spaces): only its first word when redacting. */
    public static String command(String command) {
        if (command == null || !active()) {
            return command;
        }
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }

    /** An argv: only its first element when redacting. */
    public static List<String> argv(List<String> argv) {
        return argv == null || argv.isEmpty() || !active() ? argv : List.of(argv.get(0));
    }

    /** An event, its command redacted when {@code redact} (streams are written off the request thread). */
    public static NamespaceEvent event(NamespaceEvent e, boolean redact) {
        if (!redact || e.command() == null) {
            return e;
        }
        int space = e.command().indexOf(' ');
        return new NamespaceEvent(
                e.id(),
                e.event(),
                e.type(),
                e.ns(),
                e.pid(),
                space < 0 ? e.command() : e.command().substring(0, space),
                e.container(),
                e.at());
    }
}
