package io.nsscope.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.details.NamespaceDetailsService;
import io.nsscope.details.SetnsAccess;
import io.nsscope.events.EventHub;
import io.nsscope.procfs.Passwd;
import io.nsscope.scan.Scanner;
import io.nsscope.scan.SnapshotCache;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** The web layer alone (controllers, converters, problem mapping) over a snapshot of the fixture procfs. */
@WebMvcTest
@Import({
    Snapshots.class,
    WebSliceTest.FixtureSnapshots.class,
    io.nsscope.sandbox.SandboxService.class,
    SandboxMarks.class
})
class WebSliceTest {

    @TestConfiguration
    @EnableConfigurationProperties(NsscopeProperties.class)
    static class FixtureSnapshots {
        @Bean
        EventHub eventHub() {
            return new EventHub(10, 1, 10);
        }

        @Bean
        NamespaceDetailsService namespaceDetailsService() throws Exception {
            FixtureProcFs procFs = new FixtureProcFs(Fixtures.copyProc(Files.createTempDirectory("nsscope-slice")));
            return new NamespaceDetailsService(procFs, new SetnsAccess(), () -> Passwd.EMPTY);
        }

        @Bean(initMethod = "start", destroyMethod = "close")
        SnapshotCache snapshotCache() throws Exception {
            FixtureProcFs procFs = new FixtureProcFs(Fixtures.copyProc(Files.createTempDirectory("nsscope-slice")));
            Scanner scanner = new Scanner(procFs, () -> Passwd.EMPTY, 1, Clock.systemUTC());
            return new SnapshotCache(
                    scanner, Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(10), 5, Clock.systemUTC());
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void jsonIsTheDefault() throws Exception {
        mvc.perform(get("/namespaces").accept(MediaType.ALL))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.namespaces[0].ns").value(4026531834L))
                .andExpect(jsonPath("$.namespaces[0].user").value("0"));
    }

    @Test
    void textOnRequest() throws Exception {
        mvc.perform(get("/namespaces").accept(MediaType.TEXT_PLAIN))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_PLAIN))
                .andExpect(content().string(org.hamcrest.Matchers.startsWith("        NS TYPE   NPROCS   PID USER")));
    }

    @Test
    void browsersGetJson() throws Exception {
        mvc.perform(get("/trees/net").header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON));
    }

    @Test
    void anUnservableAcceptIs406Problem() throws Exception {
        mvc.perform(get("/namespaces").accept(MediaType.APPLICATION_XML)).andExpect(status().isNotAcceptable());
    }

    @Test
    void notModifiedOnMatchingEtag() throws Exception {
        String etag = mvc.perform(get("/processes/1/ns"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getHeader("ETag");
        mvc.perform(get("/processes/1/ns").header("If-None-Match", etag))
                .andExpect(status().isNotModified())
                .andExpect(header().string("ETag", etag));
    }
}
