package io.nsscope.sandbox;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The pool has no free UID, or an explicit map's outside range overlaps a running sandbox's: 409. */
public class UidRangeInUseException extends ErrorResponseException {

    /** The problem type: stable, clients switch on it. */
    public static final URI TYPE = URI.create("/problems/uid-range-in-use");
    /** The problem type's title. */
    public static final String TITLE = "UID range in use";

    public UidRangeInUseException(String message) {
        super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, message), null);
        setType(TYPE);
        setTitle(TITLE);
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
