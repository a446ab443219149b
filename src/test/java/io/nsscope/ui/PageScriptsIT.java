package io.nsscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.testing.FixtureServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The page's event-stream parser, run in the browser on text the way fetch() hands it over: in arbitrary pieces,
 * with CR LF pairs split between two of them, comments, multi-line data, ids that carry over, retry hints.
 */
class PageScriptsIT extends FixtureServer {

    private static final String PARSE = """
            const [chunks, done] = arguments;
            import(new URL('ui/sse.js', location.href)).then(({SseParser}) => {
              const events = [], retries = [];
              const parser = new SseParser(e => events.push(e), r => retries.push(r));
              for (const chunk of chunks) parser.push(chunk);
              done({events, retries});
            }, e => done({error: String(e)}));
            """;

    private static Browser browser;

    @BeforeAll
    static void browser() {
        browser = Browser.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(String... chunks) {
        if (!browser.driver.getCurrentUrl().startsWith("http://localhost:" + port)) {
            new Page(browser).open("http://localhost:" + port + "/");
        }
        Map<String, Object> result =
                (Map<String, Object>) ((JavascriptExecutor) browser.driver).executeAsyncScript(PARSE, List.of(chunks));
        assertThat(result).doesNotContainKey("error");
        return result;
    }

    private static Map<String, Object> event(String id, String event, String data) {
        Map<String, Object> e = new java.util.HashMap<>();
        e.put("id", id);
        e.put("event", event);
        e.put("data", data);
        return e;
    }

    @Test
    void nsscopesStream() {
        Map<String, Object> out = parse(
                ":nsscope events; last id 10\n\nid:11\nevent:namespace-created\n", "data:{\"ns\":1}\n\n:heartbeat\n\n");
        assertThat(out.get("events")).isEqualTo(List.of(event("11", "namespace-created", "{\"ns\":1}")));
    }

    @Test
    void anyChunkingGivesTheSameEvents() {
        String stream = "id: 12\r\nevent: x\r\ndata: a\r\ndata: b\r\n\r\nevent: y\rdata: c\r\r";
        List<Object> expected = List.of(event("12", "x", "a\nb"), event("12", "y", "c"));
        assertThat(parse(stream).get("events")).isEqualTo(expected);
        for (int cut = 1; cut < stream.length(); cut++) {
            assertThat(parse(stream.substring(0, cut), stream.substring(cut)).get("events"))
                    .as("cut at %d", cut)
                    .isEqualTo(expected);
        }
        assertThat(parse(stream.split("")).get("events"))
                .as("one character at a time")
                .isEqualTo(expected);
    }

    @Test
    void retryHintsAndIncompleteEvents() {
        Map<String, Object> out = parse("retry: 5000\nretry: soon\ndata: never finished\n");
        assertThat(out.get("retries")).isEqualTo(List.of(5000L));
        assertThat((List<?>) out.get("events")).isEmpty();
        assertThat(parse("data\n\n").get("events")).isEqualTo(List.of(event(null, "message", "")));
    }
}
