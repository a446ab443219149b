package io.nsscope.web.sandbox;

import io.nsscope.sandbox.SandboxService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /sandboxes}: the one write endpoint, which starts processes in new namespaces. Statuses: 201 created; 204
 * deleted (also when it had ended); 400 a field at fault ({@code parameter} names it); 401 no or wrong token; 403
 * sandboxes disabled, or an executable outside the allowlist; 404 unknown id; 409 the UID range is taken; 413
 * body over nsscope.api.max-body-size (refused before it is parsed, see BodyLimit); 422 EINVAL (the kernel refused the combination); 429 concurrency or creation
 * rate limit (with {@code Retry-After}); 500 EPERM/EACCES (nsscope lacks a privilege: the operator's to fix, not the
 * client's) or failed start-up steps; 503 ENOSPC/EUSERS/EAGAIN/ENOMEM (a namespace limit or resource ran out;
 * retry). Never cached.
 */
@Tag(
        name = "sandboxes",
        description = "Processes started in new namespaces (privileged; off unless "
                + "nsscope.sandbox.enabled; needs Authorization: Bearer <nsscope.sandbox.token>)")
@SecurityRequirement(name = "bearer")
@SecurityScheme(
        name = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description = "nsscope.sandbox.token for /sandboxes; nsscope.api.token for the rest, when set.")
@ApiResponse(
        responseCode = "401",
        description = "No or wrong bearer token (/problems/unauthorized).",
        content =
                @Content(
                        mediaType = "application/problem+json",
                        schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(
        responseCode = "403",
        description = "Sandboxes are disabled (/problems/sandboxes-disabled).",
        content =
                @Content(
                        mediaType = "application/problem+json",
                        schema = @Schema(implementation = ProblemDetail.class)))
@RestController
class SandboxController {

    private static final CacheControl NO_STORE = CacheControl.noStore();

    private final SandboxService service;

    SandboxController(SandboxService service) {
        this.service = service;
    }

    @Operation(
            summary = "Start a command in new namespaces",
            description = "Like unshare(1) over HTTP. The command runs as a UID of nsscope.sandbox.uid-pool, never "
                    + "as root on the host, with only the request's environment plus a minimal PATH. Answers once "
                    + "the command is about to be exec'd, with Location: /sandboxes/{id}.")
    @ApiResponse(responseCode = "201", description = "Started.", useReturnTypeSchema = true)
    @ApiResponse(
            responseCode = "400",
            description = "A field at fault: parameter names it (/problems/invalid-parameter).",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(
            responseCode = "413",
            description = "The body is over nsscope.api.max-body-size "
                    + "(/problems/payload-too-large); nothing of it was parsed.",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(
            responseCode = "429",
            description =
                    "Too many running, or created in the last minute " + "(/problems/sandbox-limit); see Retry-After.",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(
            responseCode = "500",
            description = "EPERM/EACCES or failed start-up (/problems/syscall-failed, "
                    + "/problems/sandbox-start-failed). Nothing is left behind.",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(
            value = "/sandboxes",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<SandboxView> create(@RequestBody SandboxRequest request) {
        SandboxView created = SandboxView.of(service.create(request.toSpec()));
        return ResponseEntity.created(URI.create("/sandboxes/" + created.id()))
                .cacheControl(NO_STORE)
                .body(created);
    }

    @Operation(summary = "Every sandbox", description = "The running sandboxes and the recently ended ones.")
    @GetMapping(value = "/sandboxes", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<SandboxView.Listing> list() {
        return ResponseEntity.ok()
                .cacheControl(NO_STORE)
                .body(new SandboxView.Listing(
                        service.list().stream().map(SandboxView::of).toList()));
    }

    @Operation(
            summary = "One sandbox",
            description = "Its state: running, exited (with exitCode or signal), " + "killed or expired.")
    @ApiResponse(
            responseCode = "404",
            description = "No such sandbox (/problems/sandbox-not-found).",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping(value = "/sandboxes/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<SandboxView> get(
            @Parameter(description = "The sandbox's id.", example = "sb-3f9c2a7d1e4b8c05") @PathVariable String id) {
        return ResponseEntity.ok().cacheControl(NO_STORE).body(SandboxView.of(service.get(id)));
    }

    @Operation(
            summary = "A sandbox's output",
            description = "The last bytes (nsscope.sandbox.log-tail) its "
                    + "processes wrote to stdout and stderr, interleaved as written.")
    @GetMapping(value = "/sandboxes/{id}/logs", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> logs(
            @Parameter(description = "The sandbox's id.", example = "sb-3f9c2a7d1e4b8c05") @PathVariable String id) {
        return ResponseEntity.ok()
                .cacheControl(NO_STORE)
                .contentType(MediaType.TEXT_PLAIN)
                .body(service.logs(id));
    }

    @Operation(
            summary = "Kill a sandbox",
            description = "cgroup.kill on its cgroup leaf (every process in it at "
                    + "once; without cgroups, SIGKILL to its PID 1, which ends its whole pid namespace); answers once "
                    + "it is reaped and its leaf removed. 204 also when it had already ended.")
    @ApiResponse(responseCode = "204", description = "Killed and reaped, or already ended.")
    @DeleteMapping("/sandboxes/{id}")
    ResponseEntity<Void> delete(
            @Parameter(description = "The sandbox's id.", example = "sb-3f9c2a7d1e4b8c05") @PathVariable String id) {
        service.delete(id);
        return ResponseEntity.noContent().cacheControl(NO_STORE).build();
    }
}
