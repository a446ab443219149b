package io.nsscope.sandbox;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts with the application context: deals with a previous run's leftovers before the web server takes
 * requests. Stops with it (and when the test framework pauses a context): kills every sandbox this run started.
 */
@Component
class SandboxLifecycle implements SmartLifecycle {

    private final SandboxService service;
    private volatile boolean running;

    SandboxLifecycle(SandboxService service) {
        this.service = service;
    }

    @Override
    public void start() {
        service.recoverLeftovers();
        running = true;
    }

    @Override
    public void stop() {
        service.killAll();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server (phase {@code Integer.MAX_VALUE - 1024}) starts, after it stops. */
    @Override
    public int getPhase() {
        return 0;
    }
}
