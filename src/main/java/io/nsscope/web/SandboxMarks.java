package io.nsscope.web;

import io.nsscope.sandbox.SandboxService;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Which namespaces nsscope's own running sandboxes made, so that {@code /namespaces} and {@code /trees} can mark them
 * with the sandbox's id. Read once per request ({@link #current()}).
 */
@Component
class SandboxMarks {

    /** The namespaces of the running sandboxes at one moment: inode to sandbox id. */
    record Marks(Map<Long, String> byInode) {

        static final Marks NONE = new Marks(Map.of());

        /** The id of the sandbox that made this namespace, or null. */
        String of(long inode) {
            return byInode.get(inode);
        }
    }

    private final SandboxService sandboxes;

    SandboxMarks(SandboxService sandboxes) {
        this.sandboxes = sandboxes;
    }

    Marks current() {
        Map<Long, String> byInode = sandboxes.sandboxIdsByNamespace();
        return byInode.isEmpty() ? Marks.NONE : new Marks(Map.copyOf(byInode));
    }
}
