package io.nsscope.web.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method whose answer holds nothing of the host (the browser page's HTML shell at {@code GET /}):
 * it is served without {@code nsscope.api.token}, since the page sends the token itself on every call it makes.
 * {@link PublicPages} asks Spring MVC which handler a request will run, so a request that ends up at any other
 * handler (the JSON landing document at the same path, say) still needs the token.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PublicPage {}
