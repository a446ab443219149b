package io.nsscope.sandbox;

import java.net.URI;
import org.springframework.http.HttpStatus;

/** {@code command[0]} matches none of {@code nsscope.sandbox.allowed-executables}: 403. */
public class ExecutableNotAllowedException extends SandboxRequestException {

    /** The problem type: stable, clients switch on it. */
    public static final URI TYPE = URI.create("/problems/executable-not-allowed");
    /** The problem type's title. */
    public static final String TITLE = "Executable not allowed";

    public ExecutableNotAllowedException(String executable) {
        super(
                HttpStatus.FORBIDDEN,
                TYPE,
                TITLE,
                "command[0]",
                "'" + executable + "' matches none of nsscope.sandbox.allowed-executables.");
    }
}
