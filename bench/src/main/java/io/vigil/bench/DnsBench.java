package io.vigil.bench;

import io.vigil.protocols.dns.DnsMessage;
import io.vigil.protocols.dns.DnsParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DNS decode cost per message: a query, and a response whose three answers (CNAME, two A) use compression. Run with
 * {@code -prof gc}: the allocation per operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DnsBench {
    /** www.example.com A IN, RD. */
    private final byte[] query = hex("12340100000100000000000003777777076578616d706c6503636f6d0000010001");
    /**
     * Same question; answers: www.example.com CNAME cdn.example.net (17 octets), cdn.example.net A 192.0.2.1 and
     * A 192.0.2.2, both owners a pointer to the CNAME target.
     */
    private final byte[] response = hex("12348180000100030000000003777777076578616d706c6503636f6d0000010001"
            + "c00c000500010000012c00110363646e076578616d706c65036e657400"
            + "c02d00010001000000140004c0000201"
            + "c02d00010001000000140004c0000202");
    private final DnsParser parser = new DnsParser();
    private final DnsMessage message = new DnsMessage();

    @Benchmark
    public int parseQuery() {
        parser.parse(query, 0, query.length, message);
        return message.qnameLength + message.qtype;
    }

    @Benchmark
    public int parseResponse3Answers() {
        parser.parse(response, 0, response.length, message);
        return message.answerCount + (message.malformed ? 1 : 0) + (int) message.answerAddrLo[2];
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
