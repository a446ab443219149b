package io.nsscope.web.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What {@code /v3/api-docs} says of itself: its title, the version of the build (from {@code build-info}), what
 * nsscope is, its license and who keeps it; and its tags in the order a reader needs them, from the namespaces down
 * to the service's own endpoints.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocument {

    /** The tags, in the order Swagger UI shows them. */
    static final List<String> TAG_ORDER = List.of("namespaces", "processes", "trees", "events", "sandboxes", "service");

    @Bean
    OpenAPI nsscopeOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info()
                        .title("nsscope")
                        .version(properties == null ? "unknown" : properties.getVersion())
                        .description(
                                "The Linux namespaces of the host nsscope runs on, as util-linux's lsns, pstree -N and "
                                        + "ls -l /proc/PID/ns show them, over HTTP: JSON by default, plain text with "
                                        + "Accept: text/plain. Answers come from a snapshot a background scan of /proc "
                                        + "keeps fresh. Sandboxes (off by default) start commands in new namespaces.")
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0"))
                        .contact(new Contact().name("The nsscope developers")));
    }

    /** Sorts the tags springdoc gathered from the controllers into {@link #TAG_ORDER}; others go last. */
    @Bean
    OpenApiCustomizer tagOrder() {
        return openApi -> {
            if (openApi.getTags() == null) {
                return;
            }
            List<Tag> tags = new ArrayList<>(openApi.getTags());
            tags.sort(Comparator.comparingInt(t -> {
                int i = TAG_ORDER.indexOf(t.getName());
                return i < 0 ? TAG_ORDER.size() : i;
            }));
            openApi.setTags(tags);
        };
    }
}
