package io.nsscope.web;

import io.nsscope.testing.FixtureServer;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The fixture service closed as the chart deploys it: an API token, sandboxes enabled with their own token, and a
 * browser page at {@code GET /} (a stand-in for the real one, marked {@link PublicPage}). Subclasses share one
 * application context.
 */
@TestPropertySource(properties = {"nsscope.api.token=" + GuardedServer.API_TOKEN, "nsscope.sandbox.enabled=true",
        "nsscope.sandbox.token=" + GuardedServer.SANDBOX_TOKEN, "nsscope.sandbox.uid-pool=300000-300999"})
@Import(GuardedServer.Page.class)
abstract class GuardedServer extends FixtureServer {

    static final String API_TOKEN = "guarded-api-token-0123456789abcdef-01234";
    static final String SANDBOX_TOKEN = "guarded-sandbox-token-0123456789abcdef-0";
    static final String PAGE = "<!doctype html><title>nsscope</title>";

    /** The browser page's shell: no host data, so served without a token. */
    @Controller
    static class Page {

        @PublicPage
        @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
        @ResponseBody
        String page() {
            return PAGE;
        }
    }
}
