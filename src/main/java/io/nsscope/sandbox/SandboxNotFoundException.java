package io.nsscope.sandbox;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No sandbox has this id (or it ended long enough ago to be forgotten): 404. */
public class SandboxNotFoundException extends ErrorResponseException {

    /** The problem type: stable, clients switch on it. */
    public static final URI TYPE = URI.create("/problems/sandbox-not-found");
    /** The problem type's title. */
    public static final String TITLE = "No such sandbox";

    public SandboxNotFoundException(String id) {
        super(
                HttpStatus.NOT_FOUND,
                ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No sandbox with id '" + id + "'."),
                null);
        setType(TYPE);
        setTitle(TITLE);
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
