package io.nsscope.sandbox;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** {@code nsscope.sandbox.enabled} is false: 403. */
public class SandboxesDisabledException extends ErrorResponseException {

    /** The problem type: stable, clients switch on it. */
    public static final URI TYPE = URI.create("/problems/sandboxes-disabled");
    /** The problem type's title. */
    public static final String TITLE = "Sandboxes are disabled";

    public SandboxesDisabledException() {
        super(
                HttpStatus.FORBIDDEN,
                ProblemDetail.forStatusAndDetail(
                        HttpStatus.FORBIDDEN,
                        "Sandboxes are disabled. Start nsscope with nsscope.sandbox.enabled=true and a bearer token of at least"
                                + " 32 characters in nsscope.sandbox.token or nsscope.sandbox.token-file, as root "
                                + "(with CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID, CAP_KILL, CAP_SETPCAP, CAP_SYS_TIME "
                                + "and CAP_DAC_OVERRIDE)."),
                null);
        setType(TYPE);
        setTitle(TITLE);
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
