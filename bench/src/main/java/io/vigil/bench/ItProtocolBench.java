package io.vigil.bench;

import io.vigil.protocols.dhcp.DhcpMessage;
import io.vigil.protocols.dhcp.DhcpParser;
import io.vigil.protocols.http.HttpMessage;
import io.vigil.protocols.http.HttpMessageSink;
import io.vigil.protocols.http.HttpParser;
import io.vigil.protocols.ntp.NtpMessage;
import io.vigil.protocols.ntp.NtpParser;
import io.vigil.protocols.smb.SmbFlowState;
import io.vigil.protocols.smb.SmbMessage;
import io.vigil.protocols.smb.SmbMessageSink;
import io.vigil.protocols.smb.SmbParser;
import io.vigil.protocols.snmp.SnmpMessage;
import io.vigil.protocols.snmp.SnmpParser;
import io.vigil.protocols.ssh.SshBanner;
import io.vigil.protocols.ssh.SshBannerSink;
import io.vigil.protocols.ssh.SshParser;
import io.vigil.protocols.tls.TlsHello;
import io.vigil.protocols.tls.TlsHelloSink;
import io.vigil.protocols.tls.TlsParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per PDU of the IT decoders, on real messages: the application payloads of corpus captures and of
 * {@code pcaps/realstack/impacket-smb2.pcap}, stored as hex in {@code itbench/<protocol>.hex} (one message per line,
 * {@code c} client or {@code s} server first). One operation parses the next message of the set, round robin:
 * TLS ClientHello/ServerHello records with JA3 and JA4 (the ServerHello payload also carries the start of a
 * certificate), HTTP request and response, SSH identification strings (the per-connection parser is reset for each
 * banner, as a new connection would need), DHCP, NTP, SNMP v2c and v3, and an SMB2 session (NEGOTIATE to LOGOFF,
 * NTLMSSP, CREATE/READ/WRITE/CLOSE with the tree and file maps) plus SMB3 transform messages. Run with
 * {@code -prof gc}: the allocation per operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ItProtocolBench {
    @Param({"tls", "http", "ssh", "dhcp", "ntp", "snmp", "smb"})
    public String protocol;

    private int kind;
    private byte[][] messages;
    private boolean[] fromClient;
    private int next;
    private long sum;

    private final TlsParser tls = new TlsParser();
    private final TlsHello hello = new TlsHello();
    private final TlsHelloSink tlsSink = h -> sum += h.ja3[0] + h.ja4[30] + h.sniLength;
    private final HttpParser http = new HttpParser();
    private final HttpMessage httpMessage = new HttpMessage();
    private final HttpMessageSink httpSink = m -> sum += m.hostLength + m.statusCode;
    private final SshParser ssh = new SshParser();
    private final SshBanner banner = new SshBanner();
    private final SshBannerSink sshSink = b -> sum += b.softwareVersionLength;
    private final DhcpParser dhcp = new DhcpParser();
    private final DhcpMessage dhcpMessage = new DhcpMessage();
    private final NtpParser ntp = new NtpParser();
    private final NtpMessage ntpMessage = new NtpMessage();
    private final SnmpParser snmp = new SnmpParser();
    private final SnmpMessage snmpMessage = new SnmpMessage();
    private final SmbParser smb = new SmbParser();
    private final SmbMessage smbMessage = new SmbMessage();
    private final SmbFlowState smbState = new SmbFlowState();
    private final SmbMessageSink smbSink = m -> sum += m.command + m.file.length + m.user.length;

    @Setup
    public void setUp() throws IOException {
        List<byte[]> b = new ArrayList<>();
        List<Boolean> c = new ArrayList<>();
        try (InputStream in = ItProtocolBench.class.getResourceAsStream("/itbench/" + protocol + ".hex")) {
            if (in == null) {
                throw new IllegalStateException("no itbench/" + protocol + ".hex");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null;) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                c.add(line.charAt(0) == 'c');
                b.add(HexFormat.of().parseHex(line.substring(2).trim()));
            }
        }
        kind = List.of("tls", "http", "ssh", "dhcp", "ntp", "snmp", "smb").indexOf(protocol);
        messages = b.toArray(byte[][]::new);
        fromClient = new boolean[c.size()];
        for (int i = 0; i < fromClient.length; i++) {
            fromClient[i] = c.get(i);
        }
    }

    @Benchmark
    public long parse() {
        int i = next;
        next = i + 1 == messages.length ? 0 : i + 1;
        byte[] m = messages[i];
        boolean client = fromClient[i];
        switch (kind) {
            case 0:
                return tls.parse(m, 0, m.length, client, hello, tlsSink) + sum;
            case 1:
                return http.parse(m, 0, m.length, client, httpMessage, httpSink) + sum;
            case 2:
                ssh.reset();
                return ssh.parse(m, 0, m.length, client, banner, sshSink) + sum;
            case 3:
                return (dhcp.parse(m, 0, m.length, dhcpMessage) ? dhcpMessage.messageType : 0) + sum;
            case 4:
                return (ntp.parse(m, 0, m.length, ntpMessage) ? ntpMessage.mode : 0) + sum;
            case 5:
                return (snmp.parse(m, 0, m.length, snmpMessage) ? snmpMessage.varbindCount : 0) + sum;
            default:
                return smb.parse(m, 0, m.length, client, smbMessage, smbState, smbSink) + sum;
        }
    }
}
