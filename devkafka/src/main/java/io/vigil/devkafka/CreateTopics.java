package io.vigil.devkafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Vigil's topics where kafka-topics.sh is not installed: {@code deploy/create-topics.sh}
 * runs it from the devkafka jars. Arguments: {@code BOOTSTRAP [REPLICATION] [CLIENT_PROPERTIES]}.
 * An existing topic is left as it is (reported, not an error), so the script can be rerun.
 */
public final class CreateTopics {
    private static final long DAY_MS = TimeUnit.DAYS.toMillis(1);

    /** Name, partitions, config: what README's Kafka section documents. */
    static List<NewTopic> topics(short replication) {
        return List.of(
            new NewTopic("vigil.alerts", 6, replication)
                .configs(Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(7 * DAY_MS))),
            new NewTopic("vigil.assets", 6, replication)
                .configs(Map.of("cleanup.policy", "compact")),
            new NewTopic("vigil.flows", 6, replication)
                .configs(Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(DAY_MS))));
    }

    private CreateTopics() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args[0].startsWith("-")) {
            System.err.println("usage: CreateTopics BOOTSTRAP [REPLICATION] [CLIENT_PROPERTIES]");
            System.exit(2);
        }
        Properties p = new Properties();
        if (args.length > 2) {
            try (var in = Files.newBufferedReader(Path.of(args[2]))) {
                p.load(in);
            }
        }
        p.put("bootstrap.servers", args[0]);
        p.putIfAbsent("request.timeout.ms", "10000");
        p.putIfAbsent("default.api.timeout.ms", "15000");
        short replication = args.length > 1 ? Short.parseShort(args[1]) : 1;
        int failed = 0;
        try (Admin admin = Admin.create(p)) {
            for (NewTopic t : topics(replication)) {
                try {
                    admin.createTopics(List.of(t)).all().get(20, TimeUnit.SECONDS);
                    System.out.println("created " + t.name() + " (" + t.numPartitions() + " partitions, " + t.configs() + ")");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        System.out.println("exists  " + t.name() + " (left as it is)");
                    } else {
                        System.err.println("cannot create " + t.name() + ": " + e.getCause().getMessage());
                        failed++;
                    }
                }
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
