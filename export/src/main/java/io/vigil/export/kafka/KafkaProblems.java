package io.vigil.export.kafka;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Security failures against a broker in the operator's terms. The client reports a TLS failure as
 * an AuthenticationException too, but "refused the credentials" would send someone to check a
 * password when the truststore is what is wrong; the JDK's own wording ("PKIX path building
 * failed") does not say what to change either.
 */
public final class KafkaProblems {
    private KafkaProblems() {
    }

    /**
     * What went wrong, to follow "Kafka at HOST:PORT": "refused the credentials: ..." or "TLS handshake
     * failed: ..."; null when {@code e} is not an authentication failure (in its causes).
     */
    public static String security(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SslAuthenticationException) {
                return "TLS handshake failed: " + tls(KafkaPreflight.rootMessage(t));
            }
            if (t instanceof SaslAuthenticationException || t instanceof AuthenticationException) {
                return "refused the credentials (sasl.jaas.config): " + t.getMessage();
            }
        }
        return null;
    }

    private static String tls(String root) {
        if (root.contains("certification path") || root.contains("PKIX")) {
            return "the broker's certificate is not trusted (" + root + "); give its CA in ssl.truststore.location";
        }
        if (root.contains("subject alternative") || root.contains("No name matching")) {
            return "the broker's certificate does not name the address connected to (" + root + ")";
        }
        return root;
    }
}
