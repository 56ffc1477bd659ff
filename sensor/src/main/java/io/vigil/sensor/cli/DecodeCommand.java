package io.vigil.sensor.cli;

import io.vigil.export.json.JsonWriter;
import io.vigil.export.json.PduJson;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.LinkType;
import io.vigil.protocols.app.AppLayer;
import io.vigil.protocols.app.AppListener;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.decode.DecodeCounters;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.decode.FragmentTracker;
import io.vigil.protocols.decode.PacketDecoder;
import io.vigil.protocols.dhcp.DhcpMessage;
import io.vigil.protocols.nbns.NbnsMessage;
import io.vigil.protocols.dnp3.Dnp3Message;
import io.vigil.protocols.dns.DnsMessage;
import io.vigil.protocols.enip.EnipMessage;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.flow.FlowListener;
import io.vigil.protocols.flow.FlowTable;
import io.vigil.protocols.flow.FlowTimeouts;
import io.vigil.protocols.flow.FlowView;
import io.vigil.protocols.http.HttpMessage;
import io.vigil.protocols.iec104.Iec104Apdu;
import io.vigil.protocols.modbus.ModbusPdu;
import io.vigil.protocols.mqtt.MqttMessage;
import io.vigil.protocols.ntp.NtpMessage;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.s7comm.S7Message;
import io.vigil.protocols.smb.SmbMessage;
import io.vigil.protocols.snmp.SnmpMessage;
import io.vigil.protocols.ssh.SshBanner;
import io.vigil.protocols.tls.TlsHello;
import io.vigil.sensor.capture.file.CaptureFileException;
import io.vigil.sensor.capture.file.CaptureFileReader;
import io.vigil.sensor.capture.file.CaptureProblem;
import io.vigil.sensor.capture.file.PacketHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;

@Command(name = "decode", mixinStandardHelpOptions = true,
    description = {"Print one JSON object per packet and one per application PDU: what the decoders saw.",
        "Frames are numbered from 1 per file, as Wireshark numbers them; a PDU carries the frame in which it",
        "completes. PDU lines have a \"proto\" field (modbus, bacnet, opcua, dns, tls, http, ssh, dhcp, ntp, snmp, smb, dnp3, s7comm, enip, iec104, mqtt, nbns).",
        "DNP3 has one line per link frame; the frame that completes an application fragment carries its fields. Absent fields are null."})
final class DecodeCommand implements Callable<Integer> {
    private static final long FRAGMENT_TIMEOUT_NANOS = 30_000_000_000L;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture files (pcap or pcapng).")
    List<Path> files;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
        description = "Stop after N packets per file (default: all).")
    long limit;

    @Option(names = "--proto", paramLabel = "LIST", split = ",",
        description = "Print only these: packet (the L2-L4 line of every frame), modbus, bacnet, opcua, dns, tls, http, ssh, dhcp, ntp, snmp, smb, dnp3, s7comm, enip, iec104, mqtt, nbns (default: all).")
    List<String> protocols;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        CaptureFiles.checkReadable(files);
        RunReport.checkWritable(output, "--output");
        Selection selection = Selection.parse(protocols);
        long total = 0;
        boolean anyProblem = false;
        try (Writer w = output == null
            ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)
            : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (Path file : files) {
                FilePrinter printer = new FilePrinter(w, selection);
                try (CaptureFileReader reader = CaptureFileReader.open(file)) {
                    while ((limit == 0 || printer.frame < limit) && reader.next(printer)) {
                        // each packet is printed by the handler
                    }
                    CaptureProblem problem = reader.problem();
                    if (problem != null) {
                        anyProblem = true;
                        err.println("vigil: " + problem.describe(printer.frame));
                    }
                } catch (CaptureFileException e) {
                    anyProblem = true;
                    err.println("vigil: " + e.getMessage());
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                total += printer.frame;
            }
            w.flush();
        }
        return total == 0 && anyProblem ? VigilMain.EXIT_FAILED : VigilMain.EXIT_OK;
    }

    /** Which lines to print: the packet lines, and the PDU lines of these protocols. */
    private record Selection(boolean packets, Set<AppProtocol> protocols) {
        static Selection parse(List<String> names) {
            if (names == null || names.isEmpty()) {
                return new Selection(true, EnumSet.allOf(AppProtocol.class));
            }
            boolean packets = false;
            Set<AppProtocol> protocols = EnumSet.noneOf(AppProtocol.class);
            for (String n : names) {
                String name = n.trim().toLowerCase(java.util.Locale.ROOT);
                if (name.equals("packet")) {
                    packets = true;
                    continue;
                }
                AppProtocol protocol = Arrays.stream(AppProtocol.values())
                    .filter(a -> a.label().equals(name)).findFirst()
                    .orElseThrow(() -> new UserError("unknown --proto '" + n + "': use packet, "
                        + Arrays.stream(AppProtocol.values()).map(AppProtocol::label)
                            .collect(Collectors.joining(", "))));
                protocols.add(protocol);
            }
            return new Selection(packets, protocols);
        }

        boolean has(AppProtocol protocol) {
            return protocols.contains(protocol);
        }
    }

    /**
     * Decodes and prints the packets of one file; frame numbers restart at 1 per file. Runs its
     * own flow table and app layer, so PDUs are reassembled exactly as the sensor does it.
     */
    private static final class FilePrinter implements PacketHandler, FlowListener, AppListener {
        private static final int MAX_FLOWS = 262_144;

        private final Writer out;
        private final Selection selection;
        private final DecodeCounters counters = new DecodeCounters();
        private final PacketDecoder decoder = new PacketDecoder(counters);
        private final FragmentTracker fragments = new FragmentTracker(8192, FRAGMENT_TIMEOUT_NANOS, counters);
        private final DecodedPacket p = new DecodedPacket();
        private final JsonWriter json = new JsonWriter();
        private final FlowTable flows = new FlowTable(MAX_FLOWS, FlowTimeouts.defaults(), this);
        private final AppLayer app = new AppLayer(MAX_FLOWS, this);
        private byte[] frameBytes = new byte[65536];
        long frame;

        FilePrinter(Writer out, Selection selection) {
            this.out = out;
            this.selection = selection;
        }

        @Override
        public void onPacket(ByteBuffer data, int offset, int captureLength, int originalLength, long timestampNanos,
                             int linkType, int interfaceId) {
            if (frameBytes.length < captureLength) {
                frameBytes = new byte[captureLength];
            }
            data.get(offset, frameBytes, 0, captureLength);
            p.frameNumber = ++frame;
            p.timestampNanos = timestampNanos;
            p.originalLength = originalLength;
            p.interfaceId = interfaceId;
            decoder.decode(frameBytes, 0, captureLength, linkType, p);
            if (p.fragmented) {
                fragments.track(p, timestampNanos);
            }
            if (selection.packets()) {
                write(p);
            }
            if (p.isIp()) {
                int flowSlot = flows.update(p);
                if (flowSlot >= 0 && p.hasPorts && !selection.protocols().isEmpty()) {
                    FlowView flow = flows.view(flowSlot);
                    boolean fromClient = flow.clientPort() == p.srcPort && flow.clientIpLo() == p.srcIpLo
                        && flow.clientIpHi() == p.srcIpHi;
                    app.onPacket(p, frameBytes, flowSlot, fromClient, (flow.tcpState() & FlowView.MIDSTREAM) != 0);
                }
            }
        }

        @Override
        public void onFlowStart(FlowView flow) {
            // nothing to print: decode shows packets and PDUs
        }

        @Override
        public void onFlowEnd(FlowView flow, FlowEndReason reason) {
            app.onFlowEnd(flow.slot(), reason);
        }

        @Override
        public void onModbus(DecodedPacket packet, int flowSlot, ModbusPdu pdu) {
            if (selection.has(AppProtocol.MODBUS)) {
                PduJson.modbus(pduLine(packet, AppProtocol.MODBUS), pdu);
                emit();
            }
        }

        @Override
        public void onBacnet(DecodedPacket packet, int flowSlot, BacnetPdu pdu) {
            if (selection.has(AppProtocol.BACNET)) {
                PduJson.bacnet(pduLine(packet, AppProtocol.BACNET), pdu);
                emit();
            }
        }

        @Override
        public void onDns(DecodedPacket packet, int flowSlot, DnsMessage message) {
            if (selection.has(AppProtocol.DNS)) {
                PduJson.dns(pduLine(packet, AppProtocol.DNS), message);
                emit();
            }
        }

        @Override
        public void onOpcUa(DecodedPacket packet, int flowSlot, OpcUaMessage message) {
            if (selection.has(AppProtocol.OPCUA)) {
                PduJson.opcua(pduLine(packet, AppProtocol.OPCUA), message);
                emit();
            }
        }

        @Override
        public void onTls(DecodedPacket packet, int flowSlot, TlsHello hello) {
            if (selection.has(AppProtocol.TLS)) {
                PduJson.tls(pduLine(packet, AppProtocol.TLS), hello);
                emit();
            }
        }

        @Override
        public void onTlsHeartbeat(DecodedPacket packet, int flowSlot, boolean fromClient, int type,
                                   int payloadLength, int recordLength, boolean overflows) {
            if (selection.has(AppProtocol.TLS)) {
                pduLine(packet, AppProtocol.TLS).field("heartbeat", type == 1 ? "request" : "response")
                    .field("payload_length", payloadLength).field("record_length", recordLength)
                    .field("overflows", overflows);
                emit();
            }
        }

        @Override
        public void onHttp(DecodedPacket packet, int flowSlot, HttpMessage message) {
            if (selection.has(AppProtocol.HTTP)) {
                PduJson.http(pduLine(packet, AppProtocol.HTTP), message);
                emit();
            }
        }

        @Override
        public void onSsh(DecodedPacket packet, int flowSlot, SshBanner banner) {
            if (selection.has(AppProtocol.SSH)) {
                PduJson.ssh(pduLine(packet, AppProtocol.SSH), banner);
                emit();
            }
        }

        @Override
        public void onNbns(DecodedPacket packet, int flowSlot, NbnsMessage message) {
            if (selection.has(AppProtocol.NBNS)) {
                PduJson.nbns(pduLine(packet, AppProtocol.NBNS), message);
                emit();
            }
        }

        @Override
        public void onDhcp(DecodedPacket packet, int flowSlot, DhcpMessage message) {
            if (selection.has(AppProtocol.DHCP)) {
                PduJson.dhcp(pduLine(packet, AppProtocol.DHCP), message);
                emit();
            }
        }

        @Override
        public void onNtp(DecodedPacket packet, int flowSlot, NtpMessage message) {
            if (selection.has(AppProtocol.NTP)) {
                PduJson.ntp(pduLine(packet, AppProtocol.NTP), message);
                emit();
            }
        }

        @Override
        public void onSnmp(DecodedPacket packet, int flowSlot, SnmpMessage message) {
            if (selection.has(AppProtocol.SNMP)) {
                PduJson.snmp(pduLine(packet, AppProtocol.SNMP), message);
                emit();
            }
        }

        @Override
        public void onEnip(DecodedPacket packet, int flowSlot, EnipMessage message) {
            if (selection.has(AppProtocol.ENIP)) {
                PduJson.enip(pduLine(packet, AppProtocol.ENIP), message);
                emit();
            }
        }

        @Override
        public void onS7comm(DecodedPacket packet, int flowSlot, S7Message message) {
            if (selection.has(AppProtocol.S7COMM)) {
                PduJson.s7comm(pduLine(packet, AppProtocol.S7COMM), message);
                emit();
            }
        }

        @Override
        public void onIec104(DecodedPacket packet, int flowSlot, Iec104Apdu apdu) {
            if (selection.has(AppProtocol.IEC104)) {
                PduJson.iec104(pduLine(packet, AppProtocol.IEC104), apdu);
                emit();
            }
        }

        @Override
        public void onMqtt(DecodedPacket packet, int flowSlot, MqttMessage message) {
            if (selection.has(AppProtocol.MQTT)) {
                PduJson.mqtt(pduLine(packet, AppProtocol.MQTT), message);
                emit();
            }
        }

        @Override
        public void onSmb(DecodedPacket packet, int flowSlot, SmbMessage message) {
            if (selection.has(AppProtocol.SMB)) {
                PduJson.smb(pduLine(packet, AppProtocol.SMB), message);
                emit();
            }
        }

        @Override
        public void onDnp3(DecodedPacket packet, int flowSlot, Dnp3Message message) {
            if (selection.has(AppProtocol.DNP3)) {
                PduJson.dnp3(pduLine(packet, AppProtocol.DNP3), message);
                emit();
            }
        }

        @Override
        public void onProtocolMismatch(DecodedPacket packet, int flowSlot, AppProtocol expected) {
            if (selection.has(expected)) {
                pduLine(packet, expected).field("protocol_mismatch", true);
                emit();
            }
        }

        /** Starts a PDU line with the fields every protocol shares. */
        private JsonWriter pduLine(DecodedPacket packet, AppProtocol protocol) {
            return json.reset().beginObject()
                .field("frame", packet.frameNumber)
                .epochSeconds("ts", packet.timestampNanos)
                .field("proto", protocol.label())
                .field("src_ip", IpAddresses.toString(packet.srcIpHi, packet.srcIpLo))
                .field("src_port", packet.srcPort)
                .field("dst_ip", IpAddresses.toString(packet.dstIpHi, packet.dstIpLo))
                .field("dst_port", packet.dstPort);
        }

        private void emit() {
            json.endObject();
            try {
                out.append(json.buffer()).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void write(DecodedPacket p) {
            JsonWriter j = json.reset().beginObject()
                .field("frame", p.frameNumber)
                .epochSeconds("ts", p.timestampNanos)
                .field("interface", p.interfaceId)
                .field("link_type", LinkType.name(p.linkType))
                .field("src_mac", p.hasEthernet ? IpAddresses.macToString(p.srcMac) : null)
                .field("dst_mac", p.hasEthernet ? IpAddresses.macToString(p.dstMac) : null);
            if (p.vlanCount > 0) {
                j.field("vlan", p.vlan);
            } else {
                j.nullField("vlan");
            }
            if (p.vlanCount > 1) {
                j.field("inner_vlan", p.innerVlan);
            }
            if (p.mplsLabelCount > 0) {
                j.field("mpls_label", p.mplsLabel);
            }
            if (p.tunnel != DecodedPacket.TUNNEL_NONE) {
                j.field("tunnel", tunnelName(p.tunnel));
            }
            j.field("l3", l3Name(p.l3));
            if (p.isIp()) {
                j.field("src_ip", IpAddresses.toString(p.srcIpHi, p.srcIpLo))
                    .field("dst_ip", IpAddresses.toString(p.dstIpHi, p.dstIpLo))
                    .field("ip_proto", p.ipProto)
                    .field("ttl", p.ttl);
            } else if (p.l3 == DecodedPacket.L3_ARP && !p.arpIpv4) {
                // Not IPv4 over Ethernet addresses: the decoder keeps none, so print none rather than 0.0.0.0.
                j.nullField("src_ip").nullField("dst_ip").nullField("ip_proto").field("arp_op", p.arpOperation);
            } else if (p.l3 == DecodedPacket.L3_ARP) {
                j.field("src_ip", IpAddresses.ipv4ToString(p.arpSenderIp))
                    .field("dst_ip", IpAddresses.ipv4ToString(p.arpTargetIp))
                    .nullField("ip_proto")
                    .field("arp_op", p.arpOperation)
                    .field("arp_sender_mac", IpAddresses.macToString(p.arpSenderMac))
                    .field("arp_target_mac", IpAddresses.macToString(p.arpTargetMac));
            } else {
                j.nullField("src_ip").nullField("dst_ip").nullField("ip_proto");
            }
            if (p.hasPorts) {
                j.field("src_port", p.srcPort).field("dst_port", p.dstPort);
            } else {
                j.nullField("src_port").nullField("dst_port");
            }
            // Only with a decoded TCP header: a header cut before its flags byte must not print flags 0.
            if (p.ipProto == DecodedPacket.PROTO_TCP && p.hasPorts && p.fragmentOffset == 0) {
                j.field("tcp_flags", p.tcpFlags);
            } else {
                j.nullField("tcp_flags");
            }
            if (p.icmpType >= 0) {
                j.field("icmp_type", p.icmpType).field("icmp_code", p.icmpCode);
            }
            if (p.fragmented) {
                j.field("fragment_offset", p.fragmentOffset).field("more_fragments", p.moreFragments);
            }
            if (p.payloadOffset >= 0) {
                j.field("payload_len", p.payloadLength);
            }
            j.field("len", p.originalLength).field("caplen", p.captureLength);
            if (p.malformedLayer != DecodedPacket.LAYER_NONE) {
                j.field(p.truncated ? "truncated" : "malformed", DecodeCounters.layerName(p.malformedLayer));
            } else if (p.truncated) {
                j.field("truncated", true);
            }
            emit();
        }

        private static String l3Name(int l3) {
            switch (l3) {
                case DecodedPacket.L3_IPV4: return "ipv4";
                case DecodedPacket.L3_IPV6: return "ipv6";
                case DecodedPacket.L3_ARP: return "arp";
                case DecodedPacket.L3_OTHER: return "other";
                default: return null;
            }
        }

        private static String tunnelName(int tunnel) {
            switch (tunnel) {
                case DecodedPacket.TUNNEL_GRE: return "gre";
                case DecodedPacket.TUNNEL_ERSPAN: return "erspan";
                case DecodedPacket.TUNNEL_VXLAN: return "vxlan";
                case DecodedPacket.TUNNEL_IP_IN_IP: return "ip_in_ip";
                default: return null;
            }
        }
    }
}
