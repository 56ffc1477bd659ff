package io.vigil.devkafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The dev broker's TLS material: a self-signed CA and a broker certificate it signed (for 127.0.0.1
 * and localhost), made once per data directory and reused on restart, so clients configured with
 * {@code ca.pem} keep trusting a restarted broker.
 *
 * <p>The JDK has no public API to sign a certificate and we add no crypto library for a dev tool, so
 * the JDK's {@code keytool} signs, as child processes (three JVM starts, the two key pairs in
 * parallel); everything else (the broker's keystore with its chain, the CA as PEM) is plain
 * {@link KeyStore} work in this JVM.
 */
final class DevTls {
    static final String CA_PEM = "ca.pem";
    static final String BROKER_KEYSTORE = "broker.p12";

    private DevTls() {
    }

    /** Makes {@code tls/ca.pem} and {@code tls/broker.p12} (PKCS12, {@code password}) unless they exist. */
    static void ensure(Path tls, String host, String password) throws IOException {
        if (Files.exists(tls.resolve(CA_PEM)) && Files.exists(tls.resolve(BROKER_KEYSTORE))) {
            return;
        }
        Files.createDirectories(tls);
        Path work = Files.createTempDirectory(tls, "keytool");
        try {
            Path ca = work.resolve("ca.p12");
            Path broker = work.resolve("broker-self.p12");
            // Independent key pairs: two JVMs at once halve the wait on a busy machine.
            Run caKey = keytool(work, null, "-genkeypair", "-alias", "ca", "-dname", "CN=vigil dev-kafka CA",
                "-ext", "bc:c", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", password);
            Run brokerKey = keytool(work, null, "-genkeypair", "-alias", "broker", "-dname", "CN=localhost",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                "-keystore", broker.toString(), "-storetype", "PKCS12", "-storepass", password);
            await(caKey, "generate the CA key");
            await(brokerKey, "generate the broker key");
            Path csr = work.resolve("broker.csr");
            Path signed = work.resolve("broker.pem");
            await(keytool(work, null, "-certreq", "-alias", "broker", "-keystore", broker.toString(),
                "-storepass", password, "-file", csr.toString()), "make the broker's certificate request");
            // Clients check the name they connect to (ssl.endpoint.identification.algorithm=https).
            String san = "SAN=ip:127.0.0.1,dns:localhost" + (isIp(host) ? ",ip:" + host : ",dns:" + host);
            await(keytool(work, csr, "-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", password,
                "-ext", san, "-ext", "eku=serverAuth,clientAuth", "-validity", "3650", "-rfc",
                "-outfile", signed.toString()), "sign the broker certificate");

            KeyStore caStore = load(ca, password);
            Certificate caCert = caStore.getCertificate("ca");
            Certificate brokerCert;
            try (InputStream in = Files.newInputStream(signed)) {
                brokerCert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            Key key = load(broker, password).getKey("broker", password.toCharArray());
            KeyStore out = KeyStore.getInstance("PKCS12");
            out.load(null, null);
            out.setKeyEntry("broker", (PrivateKey) key, password.toCharArray(), new Certificate[] {brokerCert, caCert});
            try (OutputStream o = Files.newOutputStream(tls.resolve(BROKER_KEYSTORE))) {
                out.store(o, password.toCharArray());
            }
            Files.writeString(tls.resolve(CA_PEM), pem(caCert), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the dev broker's TLS keystore: " + e.getMessage(), e);
        } finally {
            // The CA's private key lives only here: nothing else should ever be signed with it.
            deleteTree(work);
        }
    }

    private static boolean isIp(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    /** A keytool child and the file its output goes to (read only when it fails). */
    private record Run(Process process, Path log) {
    }

    private static Run keytool(Path work, Path stdin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-Xmx64m");
        cmd.add("-noprompt");
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(work, "keytool", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        return new Run(pb.start(), log);
    }

    private static void await(Run run, String what) throws IOException {
        Process p = run.process();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool took more than 120 s to " + what);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool was to " + what, e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool could not " + what + " (exit " + p.exitValue() + "): "
                + Files.readString(run.log()).strip().replace('\n', ' '));
        }
    }

    private static KeyStore load(Path p12, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static String pem(Certificate cert) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
