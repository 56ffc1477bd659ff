package io.vigil.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AiServicesTest {
    private static int match(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        return AiServices.match(b, b.length);
    }

    @Test
    void namesAndSubdomainsMatchCaseInsensitively() {
        assertEquals("OpenAI", AiServices.provider(match("api.openai.com")));
        assertEquals("OpenAI", AiServices.provider(match("API.OpenAI.com.")));
        assertEquals("Azure OpenAI", AiServices.provider(match("contoso-prod.openai.azure.com")));
        assertEquals("Anthropic", AiServices.provider(match("api.anthropic.com")));
    }

    @Test
    void lookAlikesAndPartsDoNotMatch() {
        assertEquals(-1, match("notapi.openai.com.evil.example"));
        assertEquals(-1, match("xapi.openai.com"));
        assertEquals(-1, match("openai.com"));
        assertEquals(-1, match("www.example.com"));
        assertEquals(-1, AiServices.match(new byte[0], 0));
    }
}
