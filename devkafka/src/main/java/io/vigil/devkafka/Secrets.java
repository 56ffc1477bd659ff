package io.vigil.devkafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The secured dev broker's passwords: made at random the first time (a fixed password in the source
 * would end up in someone's real config) and kept in {@code DIR/secrets.properties}, because the
 * SCRAM users are formatted into the data directory once and a restart must match them.
 *
 * @param keystore the broker's PKCS12 keystore password
 * @param broker   the broker's own SCRAM password (inter-broker listener)
 * @param user     the password of the client user {@link DevKafka#USER}
 */
record Secrets(String keystore, String broker, String user) {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    static Secrets of(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        boolean changed = false;
        for (String key : new String[] {"keystore.password", "broker.password", "user.password"}) {
            if (p.getProperty(key) == null) {
                p.setProperty(key, random(24));
                changed = true;
            }
        }
        if (changed) {
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "vigil dev-kafka passwords (development broker only), reused on restart");
            }
        }
        return new Secrets(p.getProperty("keystore.password"), p.getProperty("broker.password"),
            p.getProperty("user.password"));
    }

    /** Letters and digits only: the passwords go into JAAS strings and --add-scram arguments unquoted. */
    private static String random(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
