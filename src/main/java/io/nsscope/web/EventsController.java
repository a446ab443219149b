package io.nsscope.web;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.events.EventHub;
import io.nsscope.events.NamespaceEvent;
import io.nsscope.events.Subscription;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.web.problem.InvalidParameterException;
import io.nsscope.web.security.Redaction;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /events}: namespaces as they appear and disappear, as Server-Sent Events. Each stream is written by a
 * thread of its own (at most {@code nsscope.events.max-subscribers}), so a slow client only ever slows itself.
 */
@Tag(name = "events", description = "Namespaces appearing and disappearing, live")
@RestController
class EventsController implements DisposableBean {

    private final EventHub hub;
    private final Duration heartbeat;
    private final ExecutorService writers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "nsscope-events");
        thread.setDaemon(true);
        return thread;
    });

    EventsController(EventHub hub, NsscopeProperties properties) {
        this.hub = hub;
        this.heartbeat = properties.events().heartbeat();
    }

    @Operation(
            summary = "Stream namespace events (Server-Sent Events)",
            description = "Events namespace-created and namespace-destroyed, with the namespace's type, inode, lowest "
                    + "PID and command, found by comparing consecutive scans. Each has an increasing id; reconnect "
                    + "with Last-Event-ID to get what was missed, or a reset event when that is no longer buffered "
                    + "(then re-read /namespaces). Comments keep idle streams open. 503 when too many streams are "
                    + "open.")
    @ApiResponse(
            responseCode = "200",
            description =
                    "The stream: text/event-stream, one event a namespace created " + "or destroyed, comments between.",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @GetMapping(value = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(
            @Parameter(description = "Only events of these namespace types (repeatable).", example = "net")
                    @RequestParam(required = false)
                    List<String> type,
            @Parameter(description = "The id of the last event received, to resume after a disconnect.")
                    @RequestHeader(value = "Last-Event-ID", required = false)
                    String lastEventId) {
        Set<NamespaceType> types = EnumSet.noneOf(NamespaceType.class);
        if (type != null) {
            type.forEach(t -> types.add(Params.type("type", t)));
        }
        Long resumeAfter = lastEventId == null || lastEventId.isBlank() ? null : eventId(lastEventId);
        Subscription subscription = hub.subscribe(resumeAfter, types);
        SseEmitter emitter = new SseEmitter(0L);
        emitter.onCompletion(subscription::close);
        emitter.onError(e -> subscription.close());
        boolean redact = Redaction.active();
        writers.execute(() -> write(subscription, emitter, redact));
        return emitter;
    }

    private void write(Subscription subscription, SseEmitter emitter, boolean redact) {
        try (subscription) {
            emitter.send(SseEmitter.event().comment("nsscope events; last id " + hub.lastId()));
            while (!Thread.currentThread().isInterrupted()) {
                if (subscription.overflowed()) {
                    emitter.send(SseEmitter.event().comment("dropped: this client fell too far behind"));
                    break;
                }
                NamespaceEvent event = subscription.next(heartbeat);
                if (event == null) {
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                } else {
                    emitter.send(SseEmitter.event()
                            .id(Long.toString(event.id()))
                            .name(event.event())
                            .data(Redaction.event(event, redact), MediaType.APPLICATION_JSON));
                }
            }
            emitter.complete();
        } catch (IOException | IllegalStateException e) {
            // The client went away (or the response is already closed): nothing to tell anyone.
        } catch (InterruptedException e) {
            emitter.complete();
        }
    }

    private static long eventId(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(
                    "Last-Event-ID", "'" + value + "' is not an event id: a decimal number " + "is expected.", null);
        }
    }

    @Override
    public void destroy() {
        writers.shutdownNow();
    }
}
