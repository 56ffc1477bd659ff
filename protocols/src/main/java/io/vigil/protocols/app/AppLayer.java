package io.vigil.protocols.app;

import io.vigil.protocols.bacnet.BacnetParser;
import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.bacnet.BacnetSegments;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.dhcp.DhcpMessage;
import io.vigil.protocols.dhcp.DhcpParser;
import io.vigil.protocols.nbns.NbnsMessage;
import io.vigil.protocols.nbns.NbnsParser;
import io.vigil.protocols.dnp3.Dnp3FlowState;
import io.vigil.protocols.dnp3.Dnp3Message;
import io.vigil.protocols.dnp3.Dnp3MessageSink;
import io.vigil.protocols.dnp3.Dnp3Parser;
import io.vigil.protocols.dns.DnsMessage;
import io.vigil.protocols.dns.DnsMessageSink;
import io.vigil.protocols.dns.DnsParser;
import io.vigil.protocols.enip.EnipFlowState;
import io.vigil.protocols.enip.EnipMessage;
import io.vigil.protocols.enip.EnipMessageSink;
import io.vigil.protocols.enip.EnipParser;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.http.HttpMessage;
import io.vigil.protocols.http.HttpMessageSink;
import io.vigil.protocols.http.HttpParser;
import io.vigil.protocols.iec104.Iec104Apdu;
import io.vigil.protocols.iec104.Iec104ApduSink;
import io.vigil.protocols.iec104.Iec104FlowState;
import io.vigil.protocols.iec104.Iec104Parser;
import io.vigil.protocols.modbus.ModbusParser;
import io.vigil.protocols.modbus.ModbusPdu;
import io.vigil.protocols.modbus.ModbusPduSink;
import io.vigil.protocols.modbus.ModbusTransactions;
import io.vigil.protocols.mqtt.MqttFlowState;
import io.vigil.protocols.mqtt.MqttMessage;
import io.vigil.protocols.mqtt.MqttMessageSink;
import io.vigil.protocols.mqtt.MqttParser;
import io.vigil.protocols.ntp.NtpMessage;
import io.vigil.protocols.ntp.NtpParser;
import io.vigil.protocols.opcua.OpcUaFlowState;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.opcua.OpcUaMessageSink;
import io.vigil.protocols.opcua.OpcUaParser;
import io.vigil.protocols.s7comm.S7FlowState;
import io.vigil.protocols.s7comm.S7Message;
import io.vigil.protocols.s7comm.S7MessageSink;
import io.vigil.protocols.s7comm.S7Parser;
import io.vigil.protocols.smb.SmbFlowState;
import io.vigil.protocols.smb.SmbMessage;
import io.vigil.protocols.smb.SmbMessageSink;
import io.vigil.protocols.smb.SmbParser;
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
    TlsHelloSink, HttpMessageSink, SshBannerSink, EnipMessageSink, S7MessageSink, Iec104ApduSink, MqttMessageSink,
    SmbMessageSink, Dnp3MessageSink {
    /** Bytes kept per TCP direction while a PDU is incomplete: the largest Modbus ADU is 260. */
    public static final int DEFAULT_BUFFER_PER_DIRECTION = 64 * 1024;
    public static final long DEFAULT_TOTAL_BUFFER = 256L << 20;

    private static final byte UNDECIDED = 0;
    private static final byte MODBUS = 1;
    /** Nothing this layer parses: its segments skip reassembly entirely. */
    private static final byte OTHER = 2;
    private static final byte DNS = 3;
    private static final byte IEC104 = 21;
    private static final byte MQTT = 22;
    private static final byte OPCUA = 4;
    private static final byte TLS = 5;
    private static final byte HTTP = 6;
    private static final byte SSH = 7;
    private static final byte ENIP = 8;
    private static final byte S7COMM = 20;
    private static final byte SMB = 23;
    private static final byte DNP3 = 24;
    private static final int MBAP_HEADER = 8;

    private final AppListener listener;
    private final TcpReassembler tcp;
    /**
     * IEC 104 content detection across directions: bit 0 (client) / bit 1 (server) set when that
     * direction started with one complete APDU that passed the strict check.
     */
    private final byte[] iec104FirstApdu;
    private final byte[] protocolOfSlot;
    /**
     * The parser state of each flow (Modbus transactions, OPC UA secure channel, HTTP framing, COTP
     * reassembly, ...), created when the flow is classified: a flow speaks one protocol, so one
     * reference per slot serves them all instead of one array per protocol (4 MB each per million
     * flows).
     */
    private final Object[] stateOfSlot;
    private final ModbusParser modbus = new ModbusParser();
    private final ModbusPdu modbusPdu = new ModbusPdu();
    private final BacnetParser bacnet = new BacnetParser();
    private final BacnetPdu bacnetPdu = new BacnetPdu();
    private final DnsParser dns = new DnsParser();
    private final DnsMessage dnsMessage = new DnsMessage();
    private final OpcUaParser opcua = new OpcUaParser();
    private final Iec104Parser iec104 = new Iec104Parser();
    private final Iec104Apdu iec104Apdu = new Iec104Apdu();
    private final MqttParser mqtt;
    private final MqttMessage mqttMessage = new MqttMessage();
    private final OpcUaMessage opcuaMessage = new OpcUaMessage();
    private final TlsParser tls = new TlsParser();
    private final TlsHello tlsHello = new TlsHello();
    private final HttpMessage httpMessage = new HttpMessage();
    private final SshBanner sshBanner = new SshBanner();
    private final DhcpParser dhcp = new DhcpParser();
    private final DhcpMessage dhcpMessage = new DhcpMessage();
    private final NbnsParser nbns = new NbnsParser();
    private final NbnsMessage nbnsMessage = new NbnsMessage();
    private final S7Parser s7 = new S7Parser();
    private final S7Message s7Message = new S7Message();
    private final NtpParser ntp = new NtpParser();
    private final NtpMessage ntpMessage = new NtpMessage();
    private final SnmpParser snmp = new SnmpParser();
    private final SnmpMessage snmpMessage = new SnmpMessage();
    private final EnipParser enip = new EnipParser();
    private final EnipMessage enipMessage = new EnipMessage();
    private final SmbParser smb = new SmbParser();
    private final SmbMessage smbMessage = new SmbMessage();
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
        this.iec104FirstApdu = new byte[maxFlows];
        // Half the per-direction buffer: an oversized PUBLISH is decoded from its prefix and the
        // rest passed over long before the reassembler would have to drop bytes.
        this.mqtt = new MqttParser(Math.min(MqttParser.DEFAULT_MAX_BUFFERED, bufferPerDirection / 2));
        this.tcp = new TcpReassembler(maxFlows, bufferPerDirection, totalBuffer);
        this.protocolOfSlot = new byte[maxFlows];
        this.stateOfSlot = new Object[maxFlows];
    }

    /** Counts the flow as classified and returns its protocol byte. */
    private byte classified(AppProtocol protocol, byte code) {
        counters.flowsClassified(protocol);
        return code;
    }

    /** The current packet uses the protocol's registered port on either side. */
    private boolean onPort(AppProtocol protocol) {
        return current.dstPort == protocol.port() || current.srcPort == protocol.port();
    }

    /** The flow's state if it is of this type (a slot's previous flow may have left another protocol's), else null. */
    private <T> T stateIf(int slot, Class<T> type) {
        Object state = stateOfSlot[slot];
        return type.isInstance(state) ? type.cast(state) : null;
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
    private byte classifyTcp(byte[] buf, int off, int len, int slot, boolean fromClient) {
        DecodedPacket p = current;
        if (p.dstPort == DnsParser.DNS_PORT || p.srcPort == DnsParser.DNS_PORT) {
            return classified(AppProtocol.DNS, DNS);
        }
        byte dnp3 = classifyDnp3(buf, off, len, slot);
        if (dnp3 != OTHER) {
            return dnp3;
        }
        boolean modbusPort = onPort(AppProtocol.MODBUS);
        if (modbusPort && currentMidstream) {
            return classified(AppProtocol.MODBUS, MODBUS);
        }
        boolean opcuaPort = onPort(AppProtocol.OPCUA);
        if (opcuaPort && currentMidstream) {
            return classified(AppProtocol.OPCUA, OPCUA);
        }
        boolean mqttPort = onPort(AppProtocol.MQTT);
        if (mqttPort || (buf[off] & 0xFF) == 0x10) {
            byte decided = classifyMqtt(buf, off, len, slot, mqttPort);
            if (decided != OTHER) {
                return decided;
            }
        }
        boolean iec104Port = onPort(AppProtocol.IEC104);
        if (iec104Port || (buf[off] & 0xFF) == Iec104Parser.START) {
            byte decided = classifyIec104(buf, off, len, slot, fromClient, iec104Port);
            if (decided != OTHER) {
                return decided;
            }
        }
        boolean enipPort = onPort(AppProtocol.ENIP);
        if (enipPort && currentMidstream) {
            return classified(AppProtocol.ENIP, ENIP);
        }
        boolean s7Port = onPort(AppProtocol.S7COMM);
        if (s7Port && currentMidstream) {
            return classified(AppProtocol.S7COMM, S7COMM);
        }
        if (len < MBAP_HEADER || enipPort && len < EnipParser.HEADER) {
            return UNDECIDED;
        }
        if (opcuaPort || OpcUaParser.looksLikeOpcUa(buf, off, len)) {
            // Same rule as Modbus on 502: parse whatever is on 4840, report what does not start like UA TCP.
            if (opcuaPort && !OpcUaParser.looksLikeOpcUa(buf, off, len)) {
                counters.mismatch(AppProtocol.OPCUA);
                listener.onProtocolMismatch(p, slot, AppProtocol.OPCUA);
            }
            return classified(AppProtocol.OPCUA, OPCUA);
        }
        if (modbusPort) {
            if (!ModbusParser.plausibleFraming(buf, off, len)) {
                counters.mismatch(AppProtocol.MODBUS);
                listener.onProtocolMismatch(p, slot, AppProtocol.MODBUS);
            }
            return classified(AppProtocol.MODBUS, MODBUS);
        }
        if (enipPort || EnipParser.looksLikeEnip(buf, off, len)) {
            // Same rule as Modbus on 502: parse whatever is on 44818, report what does not start like ENIP.
            if (enipPort && !EnipParser.looksLikeEnip(buf, off, len)) {
                counters.mismatch(AppProtocol.ENIP);
                listener.onProtocolMismatch(p, slot, AppProtocol.ENIP);
            }
            return classified(AppProtocol.ENIP, ENIP);
        }
        if (s7Port) {
            // Same rule as Modbus on 502: parse whatever is on 102, report what does not start with a TPKT.
            if (!S7Parser.startsWithTpkt(buf, off, len)) {
                counters.mismatch(AppProtocol.S7COMM);
                listener.onProtocolMismatch(p, slot, AppProtocol.S7COMM);
            }
            return classified(AppProtocol.S7COMM, S7COMM);
        }
        int s7 = S7Parser.detect(buf, off, len);
        if (s7 == S7Parser.DETECT_YES) {
            return classified(AppProtocol.S7COMM, S7COMM);
        }
        if (s7 == S7Parser.DETECT_MORE) {
            return UNDECIDED; // a CR (or CC) with TSAPs: S7 once a DT carries 0x32/0x72
        }
        boolean netbiosPort = p.dstPort == SmbParser.NETBIOS_PORT || p.srcPort == SmbParser.NETBIOS_PORT;
        if (netbiosPort || onPort(AppProtocol.SMB)) {
            // Same rule as Modbus on 502: parse whatever is on 445/139 (the parser hunts for the next SMB header),
            // report a stream that does not start like SMB unless the capture joined it mid-stream.
            if (!currentMidstream && !SmbParser.looksLikeSmb(buf, off, len, netbiosPort)) {
                counters.mismatch(AppProtocol.SMB);
                listener.onProtocolMismatch(p, slot, AppProtocol.SMB);
            }
            return classified(AppProtocol.SMB, SMB);
        }
        if (SmbParser.looksLikeSmb(buf, off, len, false)) {
            return classified(AppProtocol.SMB, SMB);
        }
        if (TlsParser.looksLikeTls(buf, off, len)) {
            return classified(AppProtocol.TLS, TLS);
        }
        if (HttpParser.looksLikeHttp(buf, off, len)) {
            return classified(AppProtocol.HTTP, HTTP);
        }
        if (SshParser.looksLikeSsh(buf, off, len)) {
            return classified(AppProtocol.SSH, SSH);
        }
        if (ModbusParser.looksLikeModbus(buf, off, len)) {
            return classified(AppProtocol.MODBUS, MODBUS);
        }
        return OTHER;
    }

    /**
     * IEC 104 by port or by content. On 2404 the flow is IEC 104 whatever it carries (a mismatch
     * is reported when its first bytes are not an APDU), as Modbus on 502. Elsewhere a start octet
     * and a length octet are weak evidence, so the flow is taken only when its first two APDUs
     * pass the strict check of {@link Iec104Parser}: both in one direction, or the first of each
     * direction (STARTDT act / con, the usual opening). A Modbus ADU whose transaction id starts
     * with 0x68 is left to Modbus, and TLS on 2404 (IEC 62351-3 secured links) to the TLS parser,
     * without a mismatch. Returns OTHER for "not IEC 104, ask the others".
     */
    private byte classifyIec104(byte[] buf, int off, int len, int slot, boolean fromClient, boolean port) {
        DecodedPacket p = current;
        if (port) {
            if (!currentMidstream && TlsParser.looksLikeTls(buf, off, len)) {
                return OTHER;
            }
            if (currentMidstream) {
                return classified(AppProtocol.IEC104, IEC104);
            }
            if (len < 6) {
                return UNDECIDED;
            }
            if (Iec104Parser.detect(buf, off, len) == Iec104Parser.NO) {
                counters.mismatch(AppProtocol.IEC104);
                listener.onProtocolMismatch(p, slot, AppProtocol.IEC104);
            }
            return classified(AppProtocol.IEC104, IEC104);
        }
        if (ModbusParser.looksLikeModbus(buf, off, len)) {
            return OTHER;
        }
        int verdict = Iec104Parser.detect(buf, off, len);
        int mine = fromClient ? 1 : 2;
        int theirs = fromClient ? 2 : 1;
        if (verdict == Iec104Parser.YES
            || verdict == Iec104Parser.ONE && (iec104FirstApdu[slot] & theirs) != 0) {
            return classified(AppProtocol.IEC104, IEC104);
        }
        if (verdict == Iec104Parser.ONE) {
            iec104FirstApdu[slot] |= (byte) mine;
            return UNDECIDED;
        }
        return verdict == Iec104Parser.MAYBE ? UNDECIDED : OTHER;
    }

    /**
     * MQTT by port or by content. A CONNECT naming MQTT or MQIsdp is MQTT on any port (TLS on 8883
     * starts with 0x16 and stays TLS). On 1883 the flow is MQTT whatever it carries; one whose
     * first bytes are not a CONNECT is reported as a mismatch, unless the capture joined
     * mid-stream (then the parser finds the framing on its own). TLS on 1883 is left to the TLS
     * parser. Returns OTHER for "ask the others".
     */
    private byte classifyMqtt(byte[] buf, int off, int len, int slot, boolean port) {
        if (port && !currentMidstream && TlsParser.looksLikeTls(buf, off, len)) {
            return OTHER;
        }
        if (port) {
            if (!currentMidstream && MqttParser.detectConnect(buf, off, len) == MqttParser.NO) {
                counters.mismatch(AppProtocol.MQTT);
                listener.onProtocolMismatch(current, slot, AppProtocol.MQTT);
            }
            return classified(AppProtocol.MQTT, MQTT);
        }
        int verdict = MqttParser.detectConnect(buf, off, len);
        if (verdict == MqttParser.YES) {
            return classified(AppProtocol.MQTT, MQTT);
        }
        return verdict == MqttParser.MAYBE ? UNDECIDED : OTHER;
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
            return classified(AppProtocol.DNP3, DNP3);
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
        return classified(AppProtocol.DNP3, DNP3);
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
        if (NbnsParser.isNbnsPort(p.srcPort, p.dstPort)) {
            if (nbns.parse(frame, off, len, nbnsMessage)) {
                counters.pdu(AppProtocol.NBNS, nbnsMessage.malformed);
                listener.onNbns(p, slot, nbnsMessage);
            }
            return;
        }
        if (onPort(AppProtocol.ENIP)) {
            if (enip.parseDatagram(frame, off, len, p.dstPort == AppProtocol.ENIP.port(), enipMessage)) {
                counters.pdu(AppProtocol.ENIP, enipMessage.malformed);
                listener.onEnip(p, slot, enipMessage);
            } else if (len > 0 && protocolOfSlot[slot] != OTHER) {
                protocolOfSlot[slot] = OTHER;
                counters.mismatch(AppProtocol.ENIP);
                listener.onProtocolMismatch(p, slot, AppProtocol.ENIP);
            }
            return;
        }
        // Implicit (class 0/1) I/O: counted and reported by connection id and sequence, payload not decoded.
        if ((p.dstPort == EnipParser.IO_PORT || p.srcPort == EnipParser.IO_PORT)
            && enip.parseIo(frame, off, len, enipMessage)) {
            counters.pdu(AppProtocol.ENIP, enipMessage.malformed);
            listener.onEnip(p, slot, enipMessage);
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
        boolean bacnetPort = onPort(AppProtocol.BACNET);
        if (!bacnetPort && !BacnetParser.looksLikeBacnet(frame, p.payloadOffset, p.payloadLength)) {
            return;
        }
        if (bacnet.parse(frame, p.payloadOffset, p.payloadLength, bacnetPdu)) {
            if (bacnetPdu.segmented) {
                reassembleBacnet(slot, fromClient ? 0 : 1);
            }
            counters.pdu(AppProtocol.BACNET, bacnetPdu.malformed);
            listener.onBacnet(p, slot, bacnetPdu);
        } else if (bacnetPort && p.payloadLength > 0 && protocolOfSlot[slot] != OTHER) {
            protocolOfSlot[slot] = OTHER;
            counters.mismatch(AppProtocol.BACNET);
            listener.onProtocolMismatch(p, slot, AppProtocol.BACNET);
        }
    }

    /**
     * Joins a segment to its message; on the last one, the segment is replaced by the whole message decoded at once
     * (reported in the last segment's frame, as Wireshark does). Earlier segments are reported as they are.
     */
    private void reassembleBacnet(int slot, int side) {
        BacnetSegments[] sides = stateIf(slot, BacnetSegments[].class);
        BacnetSegments segments = sides == null ? null : sides[side];
        if (segments == null) {
            if (bacnetPdu.sequenceNumber != 0 || !bacnetPdu.moreFollows) {
                return;
            }
            if (sides == null) {
                sides = new BacnetSegments[2]; // one message in progress per sender
                stateOfSlot[slot] = sides;
            }
            segments = new BacnetSegments();
            sides[side] = segments;
        }
        int result = segments.accept(bacnetPdu);
        if (result == BacnetSegments.LOST) {
            counters.messageLost(AppProtocol.BACNET);
        } else if (result == BacnetSegments.COMPLETE) {
            bacnet.parse(segments.data(), 0, segments.length(), bacnetPdu);
            bacnetPdu.reassembled = true;
            bacnetPdu.segmentCount = segments.segments();
            counters.messageReassembled(AppProtocol.BACNET);
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
        Dnp3FlowState state = stateIf(slot, Dnp3FlowState.class);
        if (state == null) {
            state = new Dnp3FlowState();
            stateOfSlot[slot] = state;
        }
        return state;
    }

    @Override
    public int onData(int flowSlot, boolean fromClient, byte[] buf, int off, int len, long frameNumber,
                      long timestampNanos) {
        byte protocol = protocolOfSlot[flowSlot];
        if (protocol == UNDECIDED) {
            protocol = classifyTcp(buf, off, len, flowSlot, fromClient);
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
            OpcUaFlowState state = stateIf(flowSlot, OpcUaFlowState.class);
            if (state == null) {
                state = new OpcUaFlowState();
                stateOfSlot[flowSlot] = state;
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
            HttpParser http = stateIf(flowSlot, HttpParser.class);
            if (http == null) {
                http = new HttpParser();
                stateOfSlot[flowSlot] = http;
            }
            return http.parse(buf, off, len, fromClient, httpMessage, this);
        }
        if (protocol == SSH) {
            currentSlot = flowSlot;
            SshParser ssh = stateIf(flowSlot, SshParser.class);
            if (ssh == null) {
                ssh = new SshParser();
                stateOfSlot[flowSlot] = ssh;
            }
            return ssh.parse(buf, off, len, fromClient, sshBanner, this);
        }
        if (protocol == ENIP) {
            currentSlot = flowSlot;
            EnipFlowState state = stateIf(flowSlot, EnipFlowState.class);
            if (state == null) {
                state = new EnipFlowState();
                stateOfSlot[flowSlot] = state;
            }
            state.setTime(frameNumber, timestampNanos);
            return enip.parseStream(buf, off, len, towardsPort(fromClient, AppProtocol.ENIP), enipMessage, state, this);
        }
        if (protocol == S7COMM) {
            currentSlot = flowSlot;
            S7FlowState state = stateIf(flowSlot, S7FlowState.class);
            if (state == null) {
                state = new S7FlowState();
                stateOfSlot[flowSlot] = state;
            }
            return s7.parse(buf, off, len, towardsPort(fromClient, AppProtocol.S7COMM), s7Message, state, this);
        }
        if (protocol == IEC104) {
            currentSlot = flowSlot;
            Iec104FlowState state = stateIf(flowSlot, Iec104FlowState.class);
            if (state == null) {
                state = new Iec104FlowState();
                if (currentMidstream) {
                    state.joinedMidstream();
                }
                stateOfSlot[flowSlot] = state;
            }
            return iec104.parse(buf, off, len, towardsPort(fromClient, AppProtocol.IEC104), iec104Apdu, state, this);
        }
        if (protocol == MQTT) {
            currentSlot = flowSlot;
            MqttFlowState state = stateIf(flowSlot, MqttFlowState.class);
            if (state == null) {
                state = new MqttFlowState();
                if (currentMidstream) {
                    state.joinedMidstream();
                }
                stateOfSlot[flowSlot] = state;
            }
            return mqtt.parse(buf, off, len, towardsPort(fromClient, AppProtocol.MQTT), mqttMessage, state, this);
        }
        if (protocol == SMB) {
            currentSlot = flowSlot;
            SmbFlowState state = stateIf(flowSlot, SmbFlowState.class);
            if (state == null) {
                state = new SmbFlowState();
                stateOfSlot[flowSlot] = state;
                if (currentMidstream) {
                    state.onGap(true);
                    state.onGap(false);
                }
            }
            return smb.parse(buf, off, len, fromClient, smbMessage, state, this);
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
        ModbusTransactions tx = stateIf(currentSlot, ModbusTransactions.class);
        if (tx == null) {
            tx = new ModbusTransactions();
            stateOfSlot[currentSlot] = tx;
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
    public void onMessage(EnipMessage message) {
        counters.pdu(AppProtocol.ENIP, message.malformed);
        listener.onEnip(current, currentSlot, message);
    }

    @Override
    public void onHello(TlsHello hello) {
        counters.pdu(AppProtocol.TLS, hello.malformed);
        listener.onTls(current, currentSlot, hello);
    }

    @Override
    public void onHeartbeat(boolean fromClient, int type, int payloadLength, int recordLength, boolean overflows) {
        counters.pdu(AppProtocol.TLS, overflows);
        listener.onTlsHeartbeat(current, currentSlot, fromClient, type, payloadLength, recordLength, overflows);
    }

    @Override
    public void onMessage(HttpMessage message) {
        counters.pdu(AppProtocol.HTTP, message.malformed);
        listener.onHttp(current, currentSlot, message);
    }

    @Override
    public void onMessage(S7Message message) {
        counters.pdu(AppProtocol.S7COMM, message.malformed);
        listener.onS7comm(current, currentSlot, message);
    }

    @Override
    public void onBanner(SshBanner banner) {
        counters.pdu(AppProtocol.SSH, banner.malformed);
        listener.onSsh(current, currentSlot, banner);
    }

    @Override
    public void onApdu(Iec104Apdu apdu) {
        counters.pdu(AppProtocol.IEC104, apdu.malformed);
        listener.onIec104(current, currentSlot, apdu);
    }

    @Override
    public void onMessage(MqttMessage message) {
        counters.pdu(AppProtocol.MQTT, message.malformed);
        listener.onMqtt(current, currentSlot, message);
    }

    @Override
    public void onMessage(SmbMessage message) {
        counters.pdu(AppProtocol.SMB, message.malformed);
        listener.onSmb(current, currentSlot, message);
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

    /**
     * ISO-on-TCP only: a segment after a hole that starts with a complete, strictly plausible TPKT is
     * taken at once. S7 PDUs are small and one per segment, and captures filtered to S7 frames (or a
     * lossy SPAN port) would otherwise hold every later PDU until 64 KiB of window had piled up.
     */
    @Override
    public boolean resyncAt(int flowSlot, boolean fromClient, byte[] buf, int off, int len) {
        return protocolOfSlot[flowSlot] == S7COMM && S7Parser.startsTpdu(buf, off, len);
    }

    @Override
    public void onGap(int flowSlot, boolean fromClient, long missing) {
        counters.gap();
        OpcUaFlowState state = stateIf(flowSlot, OpcUaFlowState.class);
        if (state != null) {
            state.onGap(towardsPort(fromClient, AppProtocol.OPCUA));
        }
        S7FlowState s7State = stateIf(flowSlot, S7FlowState.class);
        if (s7State != null) {
            s7State.onGap(towardsPort(fromClient, AppProtocol.S7COMM));
        }
        MqttFlowState mq = stateIf(flowSlot, MqttFlowState.class);
        if (mq != null) {
            mq.onGap(towardsPort(fromClient, AppProtocol.MQTT));
        }
        Iec104FlowState iec = stateIf(flowSlot, Iec104FlowState.class);
        if (iec != null) {
            iec.onGap(towardsPort(fromClient, AppProtocol.IEC104));
        }
        SmbFlowState smbState = stateIf(flowSlot, SmbFlowState.class);
        if (smbState != null) {
            smbState.onGap(fromClient);
        }
        Dnp3FlowState dnp3State = stateIf(flowSlot, Dnp3FlowState.class);
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
        iec104FirstApdu[flowSlot] = 0;
        Object state = stateOfSlot[flowSlot];
        if (state instanceof ModbusTransactions) {
            ((ModbusTransactions) state).clear(); // reused by the slot's next Modbus flow
        } else if (state instanceof Dnp3FlowState) {
            // DNP3 partial fragments are per connection; the state object stays for the slot's next flow.
            dnp3.release((Dnp3FlowState) state);
        } else {
            // Secure channels, HTTP framing, SSH banners, COTP buffers, outstanding CIP requests, SMB names and
            // BACnet segments are per connection.
            stateOfSlot[flowSlot] = null;
        }
    }

    public AppCounters counters() {
        return counters;
    }

    public TcpReassembler reassembler() {
        return tcp;
    }

    public S7Parser s7Parser() {
        return s7;
    }

    public ModbusParser modbusParser() {
        return modbus;
    }

    public Dnp3Parser dnp3Parser() {
        return dnp3;
    }
}
