package io.nsscope.web.page;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The page's static files, {@code classpath:/static/ui/} at {@code /ui/**}: plain ES modules and CSS, no build step.
 * They are revalidated on every load ({@code no-cache}, answered 304 while unchanged), so a browser never runs the
 * scripts of an older nsscope against a newer API.
 */
@Configuration(proxyBeanMethods = false)
class PageResources implements WebMvcConfigurer {

    /** The page's document, served at {@code GET /} to browsers ({@link HomeController#page()}). */
    static final Resource PAGE = new ClassPathResource("static/ui/index.html");

    /**
     * The page runs only its own scripts and styles and talks only to its own origin: nothing inline, nothing from
     * elsewhere, never framed (the token field must not be clickjacked). Command lines shown on it are data from
     * every process of the host, so they are written as text, and this header is the second line of defence.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/ui/**")
                .addResourceLocations("classpath:/static/ui/")
                .setCacheControl(CacheControl.noCache());
    }
}
