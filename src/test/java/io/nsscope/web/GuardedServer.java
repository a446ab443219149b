package io.nsscope.web;

import io.nsscope.testing.FixtureServer;
import io.nsscope.web.security.PublicPage;
import org.springframework.test.context.TestPropertySource;

/**
 * The fixture service closed as the chart deploys it: an API token, and sandboxes enabled with their own token. Its
 * browser page at {@code GET /} ({@code HomeController.page()}, marked {@link PublicPage}) and its files under
 * {@code /ui/} carry no host data. Subclasses share one application context.
 */
@TestPropertySource(
        properties = {
            "nsscope.api.token=" + GuardedServer.API_TOKEN,
            "nsscope.sandbox.enabled=true",
            "nsscope.sandbox.token=" + GuardedServer.SANDBOX_TOKEN,
            "nsscope.sandbox.uid-pool=300000-300999"
        })
abstract class GuardedServer extends FixtureServer {

    static final String API_TOKEN = "guarded-api-token-0123456789abcdef-01234";
    static final String SANDBOX_TOKEN = "guarded-sandbox-token-0123456789abcdef-0";
    /** The start of the page's shell, static/ui/index.html. */
    static final String PAGE = "<!doctype html>\n<html lang=\"en\">";
}
