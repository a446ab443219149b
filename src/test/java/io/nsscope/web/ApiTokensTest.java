package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.config.NsscopeProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Enabled sandboxes refuse to start without a token of 32 characters or more, and never show it. */
class ApiTokensTest {

    private static NsscopeProperties.Sandbox sandbox(String... properties) {
        Map<String, String> map = new HashMap<>();
        map.put("nsscope.sandbox.enabled", "true");
        for (String p : properties) {
            map.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("nsscope", NsscopeProperties.class)
                .sandbox();
    }

    @Test
    void tokenFromPropertyOrFile(@TempDir Path dir) throws Exception {
        String token = "t".repeat(31) + "X";
        assertThat(ApiTokens.sandboxToken(sandbox("nsscope.sandbox.token=" + token))).isEqualTo(token);
        Path file = Files.writeString(dir.resolve("token"), token + "\n");
        assertThat(ApiTokens.sandboxToken(sandbox("nsscope.sandbox.token-file=" + file))).isEqualTo(token);
    }

    @Test
    void noShortBothOrUnreadableTokenStopsTheStart(@TempDir Path dir) {
        String shortToken = "secret-but-only-31-characters!!";
        assertThatThrownBy(() -> ApiTokens.sandboxToken(sandbox())).hasMessageContaining("needs a bearer token");
        assertThatThrownBy(() -> ApiTokens.sandboxToken(sandbox("nsscope.sandbox.token=" + shortToken)))
                .hasMessageContaining("at least 32").hasMessageNotContaining(shortToken);
        assertThatThrownBy(() -> ApiTokens.sandboxToken(sandbox("nsscope.sandbox.token=" + "x".repeat(40),
                "nsscope.sandbox.token-file=/etc/hostname"))).hasMessageContaining("not both");
        assertThatThrownBy(() -> ApiTokens.sandboxToken(sandbox("nsscope.sandbox.token-file=" + dir.resolve("none"))))
                .hasMessageContaining("cannot be read");
    }
}
