package io.nsscope.web.page;

import io.nsscope.web.security.PublicPage;
import io.nsscope.web.text.PlainText;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}: the landing document for API clients, and nsscope's own page for browsers (a request whose
 * {@code Accept} prefers {@code text/html}).
 */
@Tag(name = "service", description = "Where to start")
@RestController
class HomeController {

    /**
     * The landing document.
     *
     * @param name        the service
     * @param description what it serves
     * @param links       every endpoint, by name
     */
    @Schema(description = "What nsscope is, and a link to each endpoint.")
    record Home(
            @Schema(description = "The service's name.", example = "nsscope")
            String name,

            @Schema(description = "What it serves.") String description,

            @Schema(description = "Each endpoint by name: a path, or a path " + "template with {placeholders}.")
            Map<String, String> links)
            implements PlainText {

        @Override
        public String toPlainText() {
            StringBuilder out = new StringBuilder(name + " - " + description + "\n\n");
            links.forEach((rel, href) -> out.append(String.format("%-16s %s%n", rel, href)));
            return out.toString();
        }
    }

    @Operation(summary = "Links to every endpoint")
    @GetMapping(
            value = "/",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<Home> home() {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("namespaces", "/namespaces");
        links.put("namespace", "/namespaces/{ns}");
        links.put("process", "/processes/{pid}/ns");
        links.put("processes", "/processes");
        links.put("process-detail", "/processes/{pid}");
        links.put("tree", "/trees/{type}");
        links.put("events", "/events");
        links.put("sandboxes", "/sandboxes");
        links.put("sandbox", "/sandboxes/{id}");
        links.put("swagger-ui", "/swagger-ui.html");
        links.put("openapi", "/v3/api-docs");
        links.put("health", "/actuator/health");
        links.put("metrics", "/actuator/prometheus");
        links.put("info", "/actuator/info");
        // The same URL answers browsers with the page: caches must key on Accept.
        return ResponseEntity.ok()
                .varyBy(HttpHeaders.ACCEPT)
                .body(new Home("nsscope", "the Linux namespaces of this host, as lsns and pstree -N show them", links));
    }

    /**
     * The page: {@code static/ui/index.html}, whose scripts and styles load from {@code ui/} relative to it and which
     * calls the API with relative URLs, so it works wherever the service is mounted ({@code kubectl proxy}, the API
     * server's service proxy). Only clients that prefer HTML get it (browsers do); a client that accepts anything, or
     * asks for JSON or text, still gets the links above. It holds no data, so it needs no token; the page asks for one
     * when the API does.
     */
    @Operation(
            summary = "nsscope's page, for browsers",
            description = "A browser (Accept: text/html) gets nsscope's page: the namespaces table, the process tree "
                    + "by namespace, the user and pid namespace hierarchies, live from /events.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(
            responseCode = "200",
            description = "The page.",
            content =
                    @io.swagger.v3.oas.annotations.media.Content(
                            mediaType = MediaType.TEXT_HTML_VALUE,
                            schema = @Schema(type = "string")))
    @PublicPage
    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<Resource> page() {
        return ResponseEntity.ok()
                .varyBy(HttpHeaders.ACCEPT)
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", PageResources.CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .body(PageResources.PAGE);
    }
}
