package io.nsscope.web;

import java.util.List;

/** A request parameter is malformed: answered with 400 and the {@code invalid-parameter} problem type. */
final class InvalidParameterException extends RuntimeException {

    private final String parameter;
    private final List<String> allowedValues;

    InvalidParameterException(String parameter, String message, List<String> allowedValues) {
        super(message);
        this.parameter = parameter;
        this.allowedValues = allowedValues;
    }

    String parameter() {
        return parameter;
    }

    List<String> allowedValues() {
        return allowedValues;
    }
}
