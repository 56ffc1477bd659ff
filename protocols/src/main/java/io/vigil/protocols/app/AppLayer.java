package io.vigil.protocols.app;

import io.vigil.protocols.bacnet.BacnetParser;
import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.dhcp.DhcpMessage;
import io.vigil.protocols.dhcp.DhcpParser;
import io.vigil.protocols.dnp3.Dnp3FlowState;
import io.vigil.protocols.dnp3.Dnp3Message;
import io.vigil.protocols.dnp3.Dnp3MessageSink;
import io.vigil.protocols.dnp3.Dnp3Parser;
import io.vigil.protocols.dns.DnsMessage;
import io.vigil.protocols.dns.DnsMessageSink;
import io.vigil.protocols.dns.DnsParser;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.http.HttpMessage;
import io.vigil.protocols.http.HttpMessageSink;
import io.vigil.protocols.http.HttpParser;
import io.vigil.protocols.modbus.ModbusParser;
import io.vigil.protocols.modbus.ModbusPdu;
import io.vigil.protocols.modbus.ModbusPduSink;
import io.vigil.protocols.modbus.ModbusTransactions;
import io.vigil.protocols.ntp.NtpMessage;
import io.vigil.protocols.ntp.NtpParser;
import io.vigil.protocols.opcua.OpcUaFlowState;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.opcua.OpcUaMessageSink;
import io.vigil.protocols.opcua.OpcUaParser;
import io.vigil.protocols.snmp.SnmpMessage;
import io.vigil.protocols.snmp.SnmpParser;
import io.vigil.protocols.ssh.SshBanner;
import io.vigil.protocols.ssh.SshBannerSink;
import io.vigil.protocols.ssh.SshParser;
import io.vigil.protocols.tcp.StreamConsumer;
import io.vigil.protocols.tcp.TcpReassembler;
import io.vigil.protocols.tls.TlsHello;
import io.vigil.protocols.tls.TlsHelloSink;
import io.vigil.protocols.tls.TlsParser;

/**
 * Application-layer dispatch for one flow worker: decides per flow which protocol it carries
 * (content first, registered port as a hint), reassembles TCP streams only for flows it can
 * parse, and hands every decoded PDU to the listener. Per-flow state lives in arrays indexed by
 * the flow table's slot, so the steady state allocates nothing.
 *
 * <p>Single-threaded, like the flow table whose slots it shares.
 */
public final class AppLayer implements StreamConsumer, ModbusPduSink, DnsMessageSink, OpcUaMessageSink,
    TlsHelloSink, HttpMessageSink, SshBannerSink, Dnp3MessageSink {
    /** Bytes kept per TCP direction while a PDU is incomplete: the largest Modbus ADU is 260. */
    public static final int DEFAULT_BUFFER_PER_DIRECTION = 64 * 1024;
    public static final long DEFAULT_TOTAL_BUFFER = 256L << 20;

    private static final byte UNDECIDED = 0;
    private static final byte MODBUS = 1;
    /** Nothing this layer parses: its segments skip reassembly entirely. */
    private static final byte OTHER = 2;
    private static final byte DNS = 3;
    private static final byte OPCUA = 4;
    private static final byte TLS = 5;
    private static final byte HTTP = 6;
    private static final byte SSH = 7;
    private static final byte DNP3 = 8;
    private static final int MBAP_HEADER = 8;

    private final AppListener listener;
    private final TcpReassembler tcp;
    private final byte[] protocolOfSlot;
    private final ModbusTransactions[] modbusOfSlot;
    private final OpcUaFlowState[] opcuaOfSlot;
    /** HTTP and SSH parsers keep per-connection state (body left, banner seen): one per flow. */
    private final HttpParser[] httpOfSlot;
    private final SshParser[] sshOfSlot;
    /** DNP3 transport reassembly per flow (TCP and UDP); kept across the flows of a slot. */
    private final Dnp3FlowState[] dnp3OfSlot;
    private final ModbusParser modbus = new ModbusParser();
    private final ModbusPdu modbusPdu = new ModbusPdu();
    private final BacnetParser bacnet = new BacnetParser();
    private final BacnetPdu bacnetPdu = new BacnetPdu();
    private final DnsParser dns = new DnsParser();
    private final DnsMessage dnsMessage = new DnsMessage();
    private final OpcUaParser opcua = new OpcUaParser();
    private final OpcUaMessage opcuaMessage = new OpcUaMessage();
    private final TlsParser tls = new TlsParser();
    private final TlsHello tlsHello = new TlsHello();
    private final HttpMessage httpMessage = new HttpMessage();
    private final SshBanner sshBanner = new SshBanner();
    private final DhcpParser dhcp = new DhcpParser();
    private final DhcpMessage dhcpMessage = new DhcpMessage();
    private final NtpParser ntp = new NtpParser();
    private final NtpMessage ntpMessage = new NtpMessage();
    private final SnmpParser snmp = new SnmpParser();
    private final SnmpMessage snmpMessage = new SnmpMessage();
    private final Dnp3Parser dnp3 = new Dnp3Parser();
    private final Dnp3Message dnp3Message = new Dnp3Message();
    private final AppCounters counters = new AppCounters();

    /** The packet being processed and its flow; stream callbacks attribute their PDUs to them. */
    private DecodedPacket current;
    private int currentSlot;
    private boolean currentMidstream;

    public AppLayer(int maxFlows, AppListener listener) {
        this(maxFlows, DEFAULT_BUFFER_PER_DIRECTION, DEFAULT_TOTAL_BUFFER, listener);
    }

    public AppLayer(int maxFlows, int bufferPerDirection, long totalBuffer, AppListener listener) {
        this.listener = listener;
        this.tcp = new TcpReassembler(maxFlows, bufferPerDirection, totalBuffer);
        this.protocolOfSlot = new byte[maxFlows];
        this.modbusOfSlot = new ModbusTransactions[maxFlows];
        this.opcuaOfSlot = new OpcUaFlowState[maxFlows];
        this.httpOfSlot = new HttpParser[maxFlows];
        this.sshOfSlot = new SshParser[maxFlows];
        this.dnp3OfSlot = new Dnp3FlowState[maxFlows];
    }

    /**
     * One decoded packet of the flow in {@code flowSlot}; {@code fromClient} by the flow's
     * orientation, {@code midstream} when the flow's start was not captured.
     */
    public void onPacket(DecodedPacket p, byte[] frame, int flowSlot, boolean fromClient, boolean midstream) {
        if (flowSlot < 0 || !p.hasPorts) {
            return;
        }
        current = p;
        if (p.ipProto == DecodedPacket.PROTO_TCP) {
            onTcp(p, frame, flowSlot, fromClient, midstream);
        } else if (p.ipProto == DecodedPacket.PROTO_UDP) {
            onUdp(p, frame, flowSlot, fromClient);
        }
    }

    private void onTcp(DecodedPacket p, byte[] frame, int slot, boolean fromClient, boolean midstream) {
        if (protocolOfSlot[slot] == OTHER) {
            return;
        }
        currentMidstream = midstream;
        // Undecided flows go through reassembly too: the protocol is decided on the first bytes
        // of the stream, which may arrive split or out of order.
        tcp.onSegment(slot, fromClient, p, frame, this);
    }

    /**
     * Content beats ports: a complete MBAP-framed ADU makes a flow Modbus on any port. On port
     * 502 the flow is parsed as Modbus whatever its first bytes, because one junk segment must not
     * hide the rest of a connection from the sensor (the parser skips garbage and resynchronises
     * on the next plausible ADU); a stream on 502 that does not start with MBAP framing is
     * still reported as a protocol mismatch, unless the capture joined mid-stream and may have
     * started inside an ADU. Returns UNDECIDED while fewer bytes than an MBAP header have arrived.
     * DNP3 is judged first (see {@link #classifyDnp3}): its link header with a CRC is the strongest
     * content signature here.
     */
    private byte classifyTcp(byte[] buf, int off, int len, int slot) {
        DecodedPacket p = current;
        if (p.dstPort == DnsParser.DNS_PORT || p.srcPort == DnsParser.DNS_PORT) {
            counters.flowsClassified(AppProtocol.DNS);
            return DNS;
        }
        byte dnp3 = classifyDnp3(buf, off, len, slot);
        if (dnp3 != OTHER) {
            return dnp3;
        }
        boolean modbusPort = p.dstPort == AppProtocol.MODBUS.port() || p.srcPort == AppProtocol.MODBUS.port();
        if (modbusPort && currentMidstream) {
            counters.flowsClassified(AppProtocol.MODBUS);
            return MODBUS;
        }
        boolean opcuaPort = p.dstPort == AppProtocol.OPCUA.port() || p.srcPort == AppProtocol.OPCUA.port();
        if (opcuaPort && currentMidstream) {
            counters.flowsClassified(AppProtocol.OPCUA);
            return OPCUA;
        }
        if (len < MBAP_HEADER) {
            return UNDECIDED;
        }
        if (opcuaPort || OpcUaParser.looksLikeOpcUa(buf, off, len)) {
            // Same rule as Modbus on 502: parse whatever is on 4840, report what does not start like UA TCP.
            if (opcuaPort && !OpcUaParser.looksLikeOpcUa(buf, off, len)) {
                counters.mismatch(AppProtocol.OPCUA);
                listener.onProtocolMismatch(p, slot, AppProtocol.OPCUA);
            }
            counters.flowsClassified(AppProtocol.OPCUA);
            return OPCUA;
        }
        if (modbusPort) {
            if (!ModbusParser.plausibleFraming(buf, off, len)) {
                counters.mismatch(AppProtocol.MODBUS);
                listener.onProtocolMismatch(p, slot, AppProtocol.MODBUS);
            }
            counters.flowsClassified(AppProtocol.MODBUS);
            return MODBUS;
        }
        if (TlsParser.looksLikeTls(buf, off, len)) {
            counters.flowsClassified(AppProtocol.TLS);
            return TLS;
        }
        if (HttpParser.looksLikeHttp(buf, off, len)) {
            counters.flowsClassified(AppProtocol.HTTP);
            return HTTP;
        }
        if (SshParser.looksLikeSsh(buf, off, len)) {
            counters.flowsClassified(AppProtocol.SSH);
            return SSH;
        }
        if (ModbusParser.looksLikeModbus(buf, off, len)) {
            counters.flowsClassified(AppProtocol.MODBUS);
            return MODBUS;
        }
        return OTHER;
    }

    /**
     * DNP3: a stream that starts with a valid link header (start octets, length, CRC) is DNP3 on
     * any port. On port 20000 the flow is DNP3 whatever it starts with (the parser resynchronises
     * on the next valid header), and a start that is not a link header is reported as a mismatch,
     * unless the capture joined mid-stream. Returns UNDECIDED while a possible header is shorter
     * than 10 octets, OTHER when the flow is not DNP3.
     */
    private byte classifyDnp3(byte[] buf, int off, int len, int slot) {
        DecodedPacket p = current;
        boolean port = p.dstPort == Dnp3Parser.PORT || p.srcPort == Dnp3Parser.PORT;
        if (port && currentMidstream) {
            counters.flowsClassified(AppProtocol.DNP3);
            return DNP3;
        }
        if (!port && !Dnp3Parser.startsLikeDnp3(buf, off, len)) {
            return OTHER;
        }
        if (len < Dnp3Parser.LINK_HEADER) {
            return UNDECIDED;
        }
        boolean looks = Dnp3Parser.looksLikeDnp3(buf, off, len);
        if (!looks && !port) {
            return OTHER;
        }
        if (!looks) {
            counters.mismatch(AppProtocol.DNP3);
            listener.onProtocolMismatch(p, slot, AppProtocol.DNP3);
        }
        counters.flowsClassified(AppProtocol.DNP3);
        return DNP3;
    }

    private void onUdp(DecodedPacket p, byte[] frame, int slot, boolean fromClient) {
        int off = p.payloadOffset;
        int len = p.payloadLength;
        // UDP IT protocols by their registered ports: their headers are too weak to detect by content.
        if (DhcpParser.isDhcpPort(p.srcPort, p.dstPort)) {
            if (dhcp.parse(frame, off, len, dhcpMessage)) {
                counters.pdu(AppProtocol.DHCP, dhcpMessage.malformed);
                listener.onDhcp(p, slot, dhcpMessage);
            }
            return;
        }
        if (NtpParser.isNtpPort(p.srcPort, p.dstPort)) {
            if (ntp.parse(frame, off, len, ntpMessage)) {
                counters.pdu(AppProtocol.NTP, ntpMessage.malformed);
                listener.onNtp(p, slot, ntpMessage);
            }
            return;
        }
        if (SnmpParser.isSnmpPort(p.srcPort, p.dstPort)) {
            if (snmp.parse(frame, off, len, snmpMessage)) {
                counters.pdu(AppProtocol.SNMP, snmpMessage.malformed);
                listener.onSnmp(p, slot, snmpMessage);
            }
            return;
        }
        if (isDnsPort(p.dstPort) || isDnsPort(p.srcPort)) {
            if (dns.parse(frame, p.payloadOffset, p.payloadLength, dnsMessage)) {
                counters.pdu(AppProtocol.DNS, dnsMessage.malformed);
                listener.onDns(p, slot, dnsMessage);
            }
            return;
        }
        boolean dnp3Port = p.dstPort == Dnp3Parser.PORT || p.srcPort == Dnp3Parser.PORT;
        if (dnp3Port || Dnp3Parser.looksLikeDnp3(frame, off, len)) {
            onDnp3Datagram(p, frame, slot, fromClient, dnp3Port);
            return;
        }
        boolean bacnetPort = p.dstPort == AppProtocol.BACNET.port() || p.srcPort == AppProtocol.BACNET.port();
        if (!bacnetPort && !BacnetParser.looksLikeBacnet(frame, p.payloadOffset, p.payloadLength)) {
            return;
        }
        if (bacnet.parse(frame, p.payloadOffset, p.payloadLength, bacnetPdu)) {
            counters.pdu(AppProtocol.BACNET, bacnetPdu.malformed);
            listener.onBacnet(p, slot, bacnetPdu);
        } else if (bacnetPort && p.payloadLength > 0 && protocolOfSlot[slot] != OTHER) {
            protocolOfSlot[slot] = OTHER;
            counters.mismatch(AppProtocol.BACNET);
            listener.onProtocolMismatch(p, slot, AppProtocol.BACNET);
        }
    }

    /**
     * DNP3 over UDP, found by port or by a valid link header: each datagram carries whole frames,
     * reassembled per flow and direction like TCP. A flow on port 20000 is judged by its first
     * datagram, as TCP flows by their first bytes: one that does not start with a link header is
     * reported as a mismatch, and the flow is still parsed (garbage skipped and counted).
     */
    private void onDnp3Datagram(DecodedPacket p, byte[] frame, int slot, boolean fromClient, boolean port) {
        if (p.payloadLength <= 0) {
            return;
        }
        if (port && protocolOfSlot[slot] == UNDECIDED) {
            if (Dnp3Parser.looksLikeDnp3(frame, p.payloadOffset, p.payloadLength)) {
                protocolOfSlot[slot] = DNP3;
            } else {
                protocolOfSlot[slot] = OTHER;
                counters.mismatch(AppProtocol.DNP3);
                listener.onProtocolMismatch(p, slot, AppProtocol.DNP3);
            }
        }
        currentSlot = slot;
        dnp3.parseDatagram(frame, p.payloadOffset, p.payloadLength, fromClient, dnp3Message, dnp3State(slot), this);
    }

    private Dnp3FlowState dnp3State(int slot) {
        Dnp3FlowState state = dnp3OfSlot[slot];
        if (state == null) {
            state = new Dnp3FlowState();
            dnp3OfSlot[slot] = state;
        }
        return state;
    }

    @Override
    public int onData(int flowSlot, boolean fromClient, byte[] buf, int off, int len, long frameNumber,
                      long timestampNanos) {
        byte protocol = protocolOfSlot[flowSlot];
        if (protocol == UNDECIDED) {
            protocol = classifyTcp(buf, off, len, flowSlot);
            if (protocol == UNDECIDED) {
                return 0;
            }
            protocolOfSlot[flowSlot] = protocol;
        }
        if (protocol == DNS) {
            currentSlot = flowSlot;
            return dns.parseStream(buf, off, len, dnsMessage, this);
        }
        if (protocol == OPCUA) {
            currentSlot = flowSlot;
            OpcUaFlowState state = opcuaOfSlot[flowSlot];
            if (state == null) {
                state = new OpcUaFlowState();
                opcuaOfSlot[flowSlot] = state;
            }
            state.setTime(frameNumber, timestampNanos);
            return opcua.parse(buf, off, len, towardsPort(fromClient, AppProtocol.OPCUA), opcuaMessage, state,
                this);
        }
        if (protocol == TLS) {
            currentSlot = flowSlot;
            return tls.parse(buf, off, len, fromClient, tlsHello, this);
        }
        if (protocol == HTTP) {
            currentSlot = flowSlot;
            HttpParser http = httpOfSlot[flowSlot];
            if (http == null) {
                http = new HttpParser();
                httpOfSlot[flowSlot] = http;
            }
            return http.parse(buf, off, len, fromClient, httpMessage, this);
        }
        if (protocol == SSH) {
            currentSlot = flowSlot;
            SshParser ssh = sshOfSlot[flowSlot];
            if (ssh == null) {
                ssh = new SshParser();
                sshOfSlot[flowSlot] = ssh;
            }
            return ssh.parse(buf, off, len, fromClient, sshBanner, this);
        }
        if (protocol == DNP3) {
            currentSlot = flowSlot;
            return dnp3.parse(buf, off, len, fromClient, dnp3Message, dnp3State(flowSlot), this);
        }
        if (protocol != MODBUS) {
            // Not ours: consume everything so nothing stays buffered; later segments skip reassembly.
            return len;
        }
        currentSlot = flowSlot;
        return modbus.parse(buf, off, len, towardsPort(fromClient, AppProtocol.MODBUS), modbusPdu, this);
    }

    /**
     * True for the client-to-server direction: towards the protocol's port when one side uses
     * it (a capture joined mid-stream may have the flow's orientation backwards), otherwise by
     * the flow's orientation.
     */
    private boolean towardsPort(boolean fromClient, AppProtocol protocol) {
        DecodedPacket p = current;
        return p.dstPort == protocol.port() || (p.srcPort != protocol.port() && fromClient);
    }

    @Override
    public void onPdu(ModbusPdu pdu) {
        ModbusTransactions tx = modbusOfSlot[currentSlot];
        if (tx == null) {
            tx = new ModbusTransactions();
            modbusOfSlot[currentSlot] = tx;
        }
        tx.track(pdu, current.frameNumber, current.timestampNanos);
        counters.pdu(AppProtocol.MODBUS, pdu.malformed);
        listener.onModbus(current, currentSlot, pdu);
    }

    @Override
    public void onMessage(OpcUaMessage message) {
        counters.pdu(AppProtocol.OPCUA, message.malformed);
        listener.onOpcUa(current, currentSlot, message);
    }

    @Override
    public void onHello(TlsHello hello) {
        counters.pdu(AppProtocol.TLS, hello.malformed);
        listener.onTls(current, currentSlot, hello);
    }

    @Override
    public void onMessage(HttpMessage message) {
        counters.pdu(AppProtocol.HTTP, message.malformed);
        listener.onHttp(current, currentSlot, message);
    }

    @Override
    public void onBanner(SshBanner banner) {
        counters.pdu(AppProtocol.SSH, banner.malformed);
        listener.onSsh(current, currentSlot, banner);
    }

    @Override
    public void onMessage(Dnp3Message message) {
        counters.pdu(AppProtocol.DNP3, message.malformed);
        listener.onDnp3(current, currentSlot, message);
    }

    @Override
    public void onMessage(DnsMessage message) {
        counters.pdu(AppProtocol.DNS, message.malformed);
        listener.onDns(current, currentSlot, message);
    }

    private static boolean isDnsPort(int port) {
        return port == DnsParser.DNS_PORT || port == DnsParser.MDNS_PORT || port == DnsParser.LLMNR_PORT;
    }

    @Override
    public void onGap(int flowSlot, boolean fromClient, long missing) {
        counters.gap();
        OpcUaFlowState state = opcuaOfSlot[flowSlot];
        if (state != null) {
            state.onGap(towardsPort(fromClient, AppProtocol.OPCUA));
        }
        Dnp3FlowState dnp3State = dnp3OfSlot[flowSlot];
        if (dnp3State != null) {
            dnp3State.onGap(fromClient);
        }
    }

    /**
     * The flow in this slot ended. An active-timeout restart keeps the same connection in the
     * same slot, so its stream and transactions carry on.
     */
    public void onFlowEnd(int flowSlot, FlowEndReason reason) {
        if (reason == FlowEndReason.ACTIVE_TIMEOUT) {
            return;
        }
        tcp.release(flowSlot);
        protocolOfSlot[flowSlot] = UNDECIDED;
        ModbusTransactions tx = modbusOfSlot[flowSlot];
        if (tx != null) {
            tx.clear();
        }
        // DNP3 partial fragments are per connection; the state object stays for the slot's next flow.
        dnp3.release(dnp3OfSlot[flowSlot]);
        // Secure channels, HTTP framing and SSH banners are per connection.
        opcuaOfSlot[flowSlot] = null;
        httpOfSlot[flowSlot] = null;
        sshOfSlot[flowSlot] = null;
    }

    public AppCounters counters() {
        return counters;
    }

    public TcpReassembler reassembler() {
        return tcp;
    }

    public ModbusParser modbusParser() {
        return modbus;
    }

    public Dnp3Parser dnp3Parser() {
        return dnp3;
    }
}
