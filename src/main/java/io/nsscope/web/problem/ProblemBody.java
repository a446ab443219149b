package io.nsscope.web.problem;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What an error response's {@code application/problem+json} body holds (RFC 9457), for the OpenAPI description only:
 * the bodies themselves are Spring's {@code ProblemDetail}s, whose extension members ({@code parameter},
 * {@code validValues}) Jackson writes at the top level and whose null members it leaves out.
 *
 * @param type        the problem type, a path under {@code /problems/} that explains it
 * @param title       the type's short title
 * @param status      the HTTP status
 * @param detail      what went wrong with this request
 * @param instance    the request's path
 * @param parameter   for invalid-parameter problems raised by nsscope: the parameter that was malformed
 * @param validValues for parameters with a fixed set of values: those values
 */
@Schema(name = "Problem", description = "An RFC 9457 problem: the body of every error response.")
record ProblemBody(
        @Schema(
                description = "The problem type: a stable URI reference under /problems/ that GET explains.",
                example = "/problems/invalid-parameter",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String type,

        @Schema(
                description = "The problem type's short title.",
                example = "Invalid parameter",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String title,

        @Schema(description = "The HTTP status code.", example = "400", requiredMode = Schema.RequiredMode.REQUIRED)
        int status,

        @Schema(
                description = "What went wrong with this request.",
                example = "'x' is not a PID: a decimal number is " + "expected.",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String detail,

        @Schema(
                description = "The path of the request that failed.",
                example = "/processes/x",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String instance,

        @Schema(
                description = "Invalid-parameter problems raised by nsscope: the name of the malformed parameter.",
                example = "pid")
        String parameter,

        @Schema(
                description = "Invalid-parameter problems for a parameter with a fixed set of values: those values.",
                example = "[\"cgroup\", \"ipc\", \"mnt\", \"net\", \"pid\", \"time\", \"user\", \"uts\"]")
        List<String> validValues) {}
