package io.nsscope.web.problem;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report, as a problem: for the requests Tomcat refuses before nsscope sees them (an encoded
 * {@code /} or NUL, a backslash in the path, a malformed request line or header), which would otherwise get
 * Tomcat's HTML page. Anything nsscope answered itself already has its body and is left alone. Public, and named
 * in the host's {@code errorReportValveClass}, because Tomcat makes it by reflection.
 */
public class TomcatProblems extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        Problems type = switch (status) {
            case 400 -> Problems.REQUEST_REJECTED;
            case 404 -> Problems.NOT_FOUND;
            case 500 -> Problems.INTERNAL_ERROR;
            default -> Problems.BAD_REQUEST;
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.type().toString());
        body.put("title", type.title);
        body.put("status", status);
        body.put(
                "detail",
                status == 400
                        ? "The server refused this request as written, before nsscope read it: an"
                                + " encoded '/' or NUL, a backslash, or a malformed request line or header."
                        : "The server could not answer this request (HTTP " + status + ").");
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(body));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response could not take a body: nothing more to say
        }
    }
}
