package io.nsscope.web.problem;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The responses every snapshot-backed endpoint may give, documented once for the OpenAPI description. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(
        responseCode = "200",
        useReturnTypeSchema = true,
        description = "The answer, from the current snapshot: JSON, or text on Accept: text/plain.")
@ApiResponse(responseCode = "304", description = "Not modified: If-None-Match named the current snapshot's ETag.")
@ApiResponse(
        responseCode = "400",
        description = "A malformed parameter (type /problems/invalid-parameter).",
        content =
                @Content(
                        mediaType = "application/problem+json",
                        schema = @Schema(implementation = ProblemBody.class),
                        examples = @ExampleObject(value = """
                        {"type":"/problems/invalid-parameter","title":"Invalid parameter","status":400,
                         "detail":"'bogus' is not a namespace type; valid types are cgroup, ipc, mnt, net, pid, time, \
                        user, uts.","instance":"/trees/bogus","parameter":"type",
                         "validValues":["cgroup","ipc","mnt","net","pid","time","user","uts"]}""")))
@ApiResponse(
        responseCode = "404",
        description = "No such process or namespace in the snapshot "
                + "(/problems/process-not-found, /problems/namespace-not-found).",
        content =
                @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemBody.class)))
@ApiResponse(
        responseCode = "503",
        description = "No snapshot yet, or ?refresh=true timed out (/problems/snapshot-unavailable), or too many "
                + "answers not yet cached are being rendered (/problems/too-many-renders); retry after the "
                + "Retry-After header's seconds.",
        content =
                @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemBody.class)))
public @interface ApiProblems {}
