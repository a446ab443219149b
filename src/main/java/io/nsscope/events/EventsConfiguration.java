package io.nsscope.events;

import io.nsscope.config.NsscopeProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The event hub, sized from {@code nsscope.events.*}; it hears every scan as a snapshot listener. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

    @Bean
    EventHub eventHub(NsscopeProperties properties) {
        NsscopeProperties.Events events = properties.events();
        return new EventHub(events.buffer(), events.maxSubscribers(), events.maxQueuedPerClient());
    }
}
