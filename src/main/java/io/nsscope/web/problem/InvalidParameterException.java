package io.nsscope.web.problem;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request parameter is malformed: 400 with the {@code invalid-parameter} problem type, naming the parameter
 * ({@code parameter}) and, for a parameter with a fixed set of values, listing them ({@code validValues}).
 */
public final class InvalidParameterException extends ErrorResponseException {

    public InvalidParameterException(String parameter, String message, List<String> allowedValues) {
        super(HttpStatus.BAD_REQUEST, body(parameter, message, allowedValues), null);
    }

    private static ProblemDetail body(String parameter, String message, List<String> allowedValues) {
        ProblemDetail body = Problems.INVALID_PARAMETER.problem(HttpStatus.BAD_REQUEST, message);
        body.setProperty("parameter", parameter);
        if (allowedValues != null) {
            body.setProperty("validValues", allowedValues);
        }
        return body;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
