package io.nsscope.web.security;

import io.nsscope.config.NsscopeProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The two bearer tokens, read once at startup and kept only as SHA-256 digests: {@code nsscope.api.token} (unset:
 * reads are open) and {@code nsscope.sandbox.token} (only with sandboxes enabled, which then cannot start without
 * one). A token comes from the property or from a file (a mounted Secret), has at least 32 characters, and is never
 * logged. Presented tokens are compared digest to digest in constant time, so neither their content nor their length
 * shows in the time an answer takes.
 */
final class ApiTokens {

    /** What a caller may do. */
    enum Grant {
        /** Every endpoint but {@code /sandboxes} (when sandboxes are enabled). */
        READ,
        /** {@code /sandboxes}, with sandboxes enabled. */
        SANDBOX
    }

    private static final int MIN_LENGTH = 32;

    private final byte[] api;
    private final byte[] sandbox;

    ApiTokens(NsscopeProperties properties) {
        NsscopeProperties.Api a = properties.api();
        String apiToken = read("nsscope.api.token", a.token(), a.tokenFile());
        this.api = apiToken == null ? null : digest(apiToken);
        NsscopeProperties.Sandbox s = properties.sandbox();
        this.sandbox = s.enabled() ? digest(sandboxToken(s)) : null;
    }

    /** Whether reads need no token (no API token is configured). */
    boolean readsOpen() {
        return api == null;
    }

    /** Whether {@code /sandboxes} is guarded by the sandbox token (sandboxes are enabled). */
    boolean sandboxesEnabled() {
        return sandbox != null;
    }

    /** What a caller presenting this bearer token may do; empty when it is none of the tokens. */
    Set<Grant> grants(String bearer) {
        byte[] given = digest(bearer);
        Set<Grant> grants = EnumSet.noneOf(Grant.class);
        if (api == null || MessageDigest.isEqual(api, given)) {
            grants.add(Grant.READ);
        }
        if (sandbox != null && MessageDigest.isEqual(sandbox, given)) {
            grants.add(Grant.SANDBOX);
        }
        return grants;
    }

    /** The sandbox token from the property or the file; startup fails without one of at least 32 characters. */
    static String sandboxToken(NsscopeProperties.Sandbox sandbox) {
        String token = read("nsscope.sandbox.token", sandbox.token(), sandbox.tokenFile());
        if (token == null) {
            throw new IllegalStateException("nsscope.sandbox.enabled=true needs a bearer token:"
                    + " nsscope.sandbox.token or nsscope.sandbox.token-file.");
        }
        return token;
    }

    /**
     * A token from its property or its {@code -file} property (not both), stripped; null when neither is set.
     * Startup fails on an unreadable file or a token shorter than 32 characters, without showing it.
     */
    static String read(String property, String inline, Path file) {
        boolean given = inline != null && !inline.isBlank();
        if (given && file != null) {
            throw new IllegalStateException("Set " + property + " or " + property + "-file, not both.");
        }
        String token;
        if (given) {
            token = inline.strip();
        } else if (file != null) {
            try {
                token = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(property + "-file " + file + " cannot be read", e);
            }
        } else {
            return null;
        }
        if (token.length() < MIN_LENGTH) {
            throw new IllegalStateException("The token of " + property + " (or " + property + "-file) must have at"
                    + " least " + MIN_LENGTH + " characters.");
        }
        return token;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
