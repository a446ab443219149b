package io.nsscope.sandbox;

/** {@code command[0]} matches none of {@code nsscope.sandbox.allowed-executables} (answered with 403). */
public class ExecutableNotAllowedException extends SandboxRequestException {

    public ExecutableNotAllowedException(String executable) {
        super("command[0]", "'" + executable + "' matches none of nsscope.sandbox.allowed-executables.");
    }
}
