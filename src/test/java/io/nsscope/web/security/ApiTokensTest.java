package io.nsscope.web.security;

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

/**
 * Enabled sandboxes refuse to start without a token of 32 characters or more, and never show it; the API token comes
 * from its property or a file (a mounted Secret), and a caller's grants follow the token it presents.
 */
class ApiTokensTest {

    private static NsscopeProperties.Sandbox sandbox(String... properties) {
        Map<String, String> map = new HashMap<>();
        map.put("nsscope.sandbox.enabled", "true");
        for (String p : properties) {
            map.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        return new Binder(new MapConfigurationPropertySource(map))
                .bindOrCreate("nsscope", NsscopeProperties.class)
                .sandbox();
    }

    @Test
    void tokenFromPropertyOrFile(@TempDir Path dir) throws Exception {
        String token = "t".repeat(31) + "X";
        assertThat(ApiTokens.sandboxToken(sandbox("nsscope.sandbox.token=" + token)))
                .isEqualTo(token);
        Path file = Files.writeString(dir.resolve("token"), token + "\n");
        assertThat(ApiTokens.sandboxToken(sandbox("nsscope.sandbox.token-file=" + file)))
                .isEqualTo(token);
    }

    @Test
    void noShortBothOrUnreadableTokenStopsTheStart(@TempDir Path dir) {
        String shortToken = "secret-but-only-31-characters!!";
        assertThatThrownBy(() -> ApiTokens.sandboxToken(sandbox())).hasMessageContaining("needs a bearer token");
        assertThatThrownBy(() -> ApiTokens.sandboxToken(sandbox("nsscope.sandbox.token=" + shortToken)))
                .hasMessageContaining("at least 32")
                .hasMessageNotContaining(shortToken);
        assertThatThrownBy(() -> ApiTokens.sandboxToken(
                        sandbox("nsscope.sandbox.token=" + "x".repeat(40), "nsscope.sandbox.token-file=/etc/hostname")))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> ApiTokens.sandboxToken(sandbox("nsscope.sandbox.token-file=" + dir.resolve("none"))))
                .hasMessageContaining("cannot be read");
    }

    private static NsscopeProperties properties(String... properties) {
        Map<String, String> map = new HashMap<>();
        for (String p : properties) {
            map.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("nsscope", NsscopeProperties.class);
    }

    @Test
    void theApiTokenFromAFileAndWhatEachTokenGrants(@TempDir Path dir) throws Exception {
        String api = "a".repeat(31) + "A";
        String sandbox = "s".repeat(31) + "S";
        Path file = Files.writeString(dir.resolve("api"), api + "\n");
        ApiTokens tokens = new ApiTokens(properties(
                "nsscope.api.token-file=" + file, "nsscope.sandbox.enabled=true", "nsscope.sandbox.token=" + sandbox));
        assertThat(tokens.readsOpen()).isFalse();
        assertThat(tokens.grants(api)).containsExactly(ApiTokens.Grant.READ);
        assertThat(tokens.grants(sandbox)).containsExactly(ApiTokens.Grant.SANDBOX);
        assertThat(tokens.grants(api + "x")).isEmpty();
        assertThat(tokens.grants("")).isEmpty();
        // without an API token every caller reads, a sandbox token holder too
        ApiTokens open = new ApiTokens(properties("nsscope.sandbox.enabled=true", "nsscope.sandbox.token=" + sandbox));
        assertThat(open.readsOpen()).isTrue();
        assertThat(open.grants(sandbox)).containsExactlyInAnyOrder(ApiTokens.Grant.READ, ApiTokens.Grant.SANDBOX);
        assertThat(open.grants("anything")).containsExactly(ApiTokens.Grant.READ);
    }

    @Test
    void aShortOrDoubleApiTokenStopsTheStart(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("api"), "short-token\n");
        assertThatThrownBy(() -> new ApiTokens(properties("nsscope.api.token-file=" + file)))
                .hasMessageContaining("at least 32")
                .hasMessageNotContaining("short-token");
        assertThatThrownBy(() -> new ApiTokens(
                        properties("nsscope.api.token=" + "x".repeat(40), "nsscope.api.token-file=" + file)))
                .hasMessageContaining("not both");
    }
}
