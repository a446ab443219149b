package io.nsscope.web.problem;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * What is wrong with a request body Jackson could not read, for a 400 that names the field by its JSON path
 * ({@code user.mapping[0].inside}, {@code env.HOME}) and says what was expected, in words rather than Java types.
 */
final class BodyFaults {

    /** The field at fault ("" for the body as a whole) and what is wrong with it. */
    record Fault(String field, String detail) {}

    private BodyFaults() {}

    static Fault describe(HttpMessageNotReadableException e) {
        JacksonException json = cause(e, JacksonException.class);
        if (json == null) {
            return new Fault("", "The request body is missing or cannot be read.");
        }
        String field = path(json.getPath());
        if (json instanceof UnrecognizedPropertyException unknown) {
            return new Fault(field, "Unknown field '" + field + "'" + known(unknown.getKnownPropertyIds()) + ".");
        }
        if (json instanceof InputCoercionException) {
            return new Fault(field, at(field) + "the number is out of range.");
        }
        if (json instanceof MismatchedInputException mismatch) {
            return new Fault(field, at(field) + "expected " + expected(mismatch.getTargetType()) + ".");
        }
        if (json instanceof StreamConstraintsException) {
            return new Fault(field, "The body is nested too deeply, or holds too long a number or string.");
        }
        if (json instanceof StreamReadException read) {
            String where = read.getLocation() == null
                    ? ""
                    : " at line " + read.getLocation().getLineNr() + ", column "
                            + read.getLocation().getColumnNr();
            return new Fault(field, "The body is not valid JSON" + where + ".");
        }
        return new Fault(field, at(field) + "the value cannot be read.");
    }

    /** A Jackson path as JSON path text: names joined by dots, indexes in brackets. */
    static String path(List<JacksonException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference r : references) {
            if (r.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String at(String field) {
        return field.isEmpty() ? "The body: " : field + ": ";
    }

    private static String known(Collection<Object> ids) {
        return ids == null || ids.isEmpty()
                ? ""
                : "; the fields here are "
                        + ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "a whole number (" + (type == Integer.class || type == int.class ? "32" : "64") + "-bit)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : "another kind of value";
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
