package io.vigil.sensor.cli;

import io.vigil.export.json.JsonWriter;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.LinkType;
import io.vigil.protocols.decode.DecodeCounters;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.decode.FragmentTracker;
import io.vigil.protocols.decode.PacketDecoder;
import io.vigil.sensor.capture.file.CaptureFileException;
import io.vigil.sensor.capture.file.CaptureFileReader;
import io.vigil.sensor.capture.file.CaptureProblem;
import io.vigil.sensor.capture.file.PacketHandler;
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
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "decode", mixinStandardHelpOptions = true,
    description = {"Print one JSON object per packet: what the decoder saw, for engineers and tests.",
        "Frames are numbered from 1 per file, as Wireshark numbers them. Absent fields are null."})
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

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        CaptureFiles.checkReadable(files);
        RunReport.checkWritable(output, "--output");
        long total = 0;
        boolean anyProblem = false;
        try (Writer w = output == null
            ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)
            : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (Path file : files) {
                FilePrinter printer = new FilePrinter(w);
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

    /** Decodes and prints the packets of one file; frame numbers restart at 1 per file. */
    private static final class FilePrinter implements PacketHandler {
        private final Writer out;
        private final DecodeCounters counters = new DecodeCounters();
        private final PacketDecoder decoder = new PacketDecoder(counters);
        private final FragmentTracker fragments = new FragmentTracker(8192, FRAGMENT_TIMEOUT_NANOS, counters);
        private final DecodedPacket p = new DecodedPacket();
        private final JsonWriter json = new JsonWriter();
        private byte[] frameBytes = new byte[65536];
        long frame;

        FilePrinter(Writer out) {
            this.out = out;
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
            write(p);
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
            j.endObject();
            try {
                out.append(j.buffer()).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
