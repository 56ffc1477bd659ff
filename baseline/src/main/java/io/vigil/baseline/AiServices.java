package io.vigil.baseline;

import java.nio.charset.StandardCharsets;

/**
 * Generative-AI API and chat services by DNS name, for spotting "shadow AI": a host sending data
 * to such a service when nothing in its past did. Matched as a name or any subdomain of one,
 * case-insensitively, without allocating. The list is data, not a signature: it names services,
 * not attacks, and is meant to be extended.
 */
public final class AiServices {
    private static final String[][] SERVICES = {
        {"OpenAI", "api.openai.com"}, {"OpenAI", "chatgpt.com"}, {"OpenAI", "chat.openai.com"},
        {"Azure OpenAI", "openai.azure.com"}, {"Anthropic", "api.anthropic.com"}, {"Anthropic", "claude.ai"},
        {"Google Gemini", "generativelanguage.googleapis.com"}, {"Google Gemini", "gemini.google.com"},
        {"Google Vertex AI", "aiplatform.googleapis.com"}, {"Mistral", "api.mistral.ai"}, {"Cohere", "api.cohere.ai"},
        {"Cohere", "api.cohere.com"}, {"Groq", "api.groq.com"}, {"DeepSeek", "api.deepseek.com"},
        {"Perplexity", "api.perplexity.ai"}, {"Together AI", "api.together.xyz"}, {"OpenRouter", "openrouter.ai"},
        {"xAI", "api.x.ai"}, {"Hugging Face", "api-inference.huggingface.co"}, {"GitHub Copilot", "api.githubcopilot.com"},
        {"Microsoft Copilot", "copilot.microsoft.com"},
    };
    private static final byte[][] NAMES = new byte[SERVICES.length][];

    static {
        for (int i = 0; i < SERVICES.length; i++) {
            NAMES[i] = SERVICES[i][1].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private AiServices() {
    }

    /**
     * Index of the service {@code name[0, len)} belongs to (the name itself or a subdomain of it;
     * a trailing dot is ignored), or -1.
     */
    public static int match(byte[] name, int len) {
        if (name == null || len <= 0) {
            return -1;
        }
        int end = Math.min(len, name.length);
        if (name[end - 1] == '.') {
            end--;
        }
        for (int s = 0; s < NAMES.length; s++) {
            byte[] n = NAMES[s];
            int start = end - n.length;
            if (start < 0 || (start > 0 && name[start - 1] != '.')) {
                continue;
            }
            boolean same = true;
            for (int k = 0; k < n.length && same; k++) {
                int c = name[start + k];
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                same = c == n[k];
            }
            if (same) {
                return s;
            }
        }
        return -1;
    }

    /** "OpenAI". */
    public static String provider(int index) {
        return SERVICES[index][0];
    }

    /** "api.openai.com". */
    public static String domain(int index) {
        return SERVICES[index][1];
    }
}
