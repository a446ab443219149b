package io.nsscope.web.security;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.web.problem.TomcatProblems;
import jakarta.servlet.DispatcherType;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Who may call what (docs/security.md), with Spring Security. Its firewall first refuses every path whose spelling
 * could mean one thing here and another to Spring MVC ({@code ;}, {@code //}, dot segments, encoded {@code /},
 * {@code .}, {@code %}, {@code \}); the rules then match the decoded path with the same {@code PathPattern}s
 * Spring MVC routes by, so {@code /%73andboxes} is {@code /sandboxes} to both. The rules:
 * <ul>
 * <li>{@code /sandboxes/**}: the sandbox token, once sandboxes are enabled (disabled, they say so to any reader);
 * <li>the liveness and readiness probes and {@code /actuator/health}: anyone, status only (details need a reader);
 * <li>the browser page's static files ({@code /ui/**}) and {@link PublicPage} handlers: anyone;
 * <li>everything else: a reader, that is anyone when {@code nsscope.api.token} is unset, else its holder.
 * </ul>
 * Bodies are bounded before all of this ({@link BodyLimit}). No sessions, no cookies, so no CSRF tokens: a bearer
 * token in a header is the only credential, and a browser never sends it on its own.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {

    static final String READER = ApiTokens.Grant.READ.name();
    static final String SANDBOXER = ApiTokens.Grant.SANDBOX.name();

    @Bean
    ApiTokens apiTokens(NsscopeProperties properties) {
        return new ApiTokens(properties);
    }

    /** Also the {@code AuthenticationManager} bean, so that Boot makes no user with a generated password. */
    @Bean
    BearerAuthentication bearerAuthentication(ApiTokens tokens) {
        return new BearerAuthentication(tokens);
    }

    /** Also the {@code RequestRejectedHandler} bean, which Spring Security's firewall answers rejections with. */
    @Bean
    SecurityProblems securityProblems(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        return new SecurityProblems(resolver);
    }

    @Bean
    FilterRegistrationBean<BodyLimit> bodyLimit(NsscopeProperties properties, SecurityProblems problems) {
        FilterRegistrationBean<BodyLimit> registration = new FilterRegistrationBean<>(
                new BodyLimit(properties.api().maxBodySize().toBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RedactionMark> redactionMark(NsscopeProperties properties) {
        FilterRegistrationBean<RedactionMark> registration = new FilterRegistrationBean<>(new RedactionMark());
        registration.setEnabled(properties.api().redactCommandArgs());
        return registration;
    }

    /**
     * No Micrometer observation of each security filter, authentication and authorization: they halved the rate of
     * cached {@code GET /namespaces} (about 44,000 to 22,000 requests/s, wrk -t2 -c8 on 2 cores) for spans nobody
     * reads; the HTTP server metrics still count every request, refusals included.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Tomcat's own refusals (an encoded slash, a backslash...) as problems too: {@link TomcatProblems}. */
    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> tomcatProblems() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(TomcatProblems.class.getName());
            }
        });
    }

    @Bean
    SecurityFilterChain apiSecurityFilterChain(
            HttpSecurity http,
            ApiTokens tokens,
            BearerAuthentication bearer,
            SecurityProblems problems,
            ApplicationContext context)
            throws Exception {
        AuthenticationFilter authentication = new AuthenticationFilter(bearer, bearer);
        authentication.setSuccessHandler((request, response, caller) -> {});
        authentication.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
        PublicPages publicPages = new PublicPages(
                () -> context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class));
        String sandboxes = tokens.sandboxesEnabled() ? SANDBOXER : READER;
        return http.csrf(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Caching is the endpoints' own (ETag and no-cache on reads, no-store on sandboxes).
                .headers(h -> h.cacheControl(c -> c.disable()))
                .addFilterAt(authentication, BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(a -> a
                        // The request these belong to was authorized when it came in.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers("/sandboxes/**")
                        .hasRole(sandboxes)
                        .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, "/ui/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.HEAD, "/ui/**")
                        .permitAll()
                        .requestMatchers(publicPages)
                        .permitAll()
                        .anyRequest()
                        .hasRole(READER))
                .build();
    }
}
