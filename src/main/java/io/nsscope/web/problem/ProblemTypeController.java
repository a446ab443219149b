package io.nsscope.web.problem;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /problems/{type}}: what each problem type of {@link Problems} means, at its own type URI. */
@Tag(name = "service", description = "Where to start")
@RestController
class ProblemTypeController {

    @Operation(summary = "What a problem type means")
    @ApiResponse(
            responseCode = "200",
            useReturnTypeSchema = true,
            description = "The problem type's type, title and description.")
    @ApiResponse(
            responseCode = "400",
            description = "Not a problem type of nsscope (/problems/invalid-parameter).",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(implementation = ProblemBody.class)))
    @GetMapping(value = "/problems/{type}", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> problem(
            @Parameter(description = "The problem type's name.", example = "invalid-parameter") @PathVariable
                    String type) {
        Map<String, Object> description = Problems.describe(type);
        if (description == null) {
            throw new InvalidParameterException(
                    "type", "'" + type + "' is not a problem type of nsscope.", Problems.slugs());
        }
        return description;
    }
}
