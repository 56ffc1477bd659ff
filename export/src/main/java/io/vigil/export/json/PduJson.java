package io.vigil.export.json;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.bacnet.BacnetNames;
import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.dhcp.DhcpMessage;
import io.vigil.protocols.dns.DnsMessage;
import io.vigil.protocols.dns.DnsNames;
import io.vigil.protocols.http.HttpMessage;
import io.vigil.protocols.modbus.ModbusPdu;
import io.vigil.protocols.ntp.NtpMessage;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.opcua.OpcUaNames;
import io.vigil.protocols.smb.SmbMessage;
import io.vigil.protocols.smb.SmbText;
import io.vigil.protocols.snmp.SnmpMessage;
import io.vigil.protocols.ssh.SshBanner;
import io.vigil.protocols.tls.TlsHello;
import java.nio.charset.StandardCharsets;

/**
 * Field names of application PDUs in JSON output ({@code vigil decode}, logs), one method per
 * protocol. Absent values (-1 in the flyweights) are written as null, so a missing address is
 * never mistaken for address 0.
 */
public final class PduJson {
    private PduJson() {
    }

    public static void modbus(JsonWriter j, ModbusPdu m) {
        j.field("trans_id", m.transactionId)
            .field("prot_id", m.protocolId)
            .field("unit_id", m.unitId)
            .field("func_code", m.functionCode)
            .field("is_response", m.isResponse);
        optional(j, "exception_code", m.isException ? m.exceptionCode : -1);
        optional(j, "sub_function", m.subFunction);
        optional(j, "mei_type", m.meiType);
        optional(j, "ref", m.startAddress);
        optional(j, "count", m.quantity);
        if (m.valueCount > 0) {
            j.beginArray("values");
            for (int i = 0; i < m.valueCount; i++) {
                j.value(m.values[i]);
            }
            j.endArray();
        } else if (m.bitCount > 0) {
            j.beginArray("values");
            for (int i = 0; i < m.bitCount; i++) {
                j.value(m.bit(i) ? 1 : 0);
            }
            j.endArray();
        } else {
            j.nullField("values");
        }
        if (m.fifoCount >= 0) {
            j.field("fifo_count", m.fifoCount);
        }
        optional(j, "write_ref", m.writeStartAddress);
        optional(j, "write_count", m.writeQuantity);
        if (m.isResponse && m.matched) {
            j.field("request_frame", m.requestFrame).field("latency_us", m.latencyNanos / 1000);
        }
        if (m.userDefined) {
            j.field("user_defined", true);
        }
        if (m.unknownFunction) {
            j.field("unknown_function", true);
        }
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
        }
    }

    public static void bacnet(JsonWriter j, BacnetPdu b) {
        j.field("bvlc_function", BacnetNames.bvlcFunctionName(b.bvlcFunction)).field("bvlc_function_id", b.bvlcFunction);
        if (b.hasApdu) {
            j.field("apdu_type", BacnetNames.apduTypeName(b.apduType)).field("apdu_type_id", b.apduType);
            int confirmed = b.confirmedService();
            int unconfirmed = b.unconfirmedService();
            if (confirmed >= 0) {
                j.field("service", BacnetNames.confirmedServiceName(confirmed)).field("service_choice", confirmed);
            } else if (unconfirmed >= 0) {
                j.field("service", BacnetNames.unconfirmedServiceName(unconfirmed))
                    .field("service_choice", unconfirmed);
            } else {
                j.nullField("service").nullField("service_choice");
            }
            optional(j, "invoke_id", b.invokeId);
        } else {
            j.nullField("apdu_type");
            if (b.networkMessage) {
                j.field("network_message_type", b.networkMessageType);
            }
        }
        if (b.objectType >= 0) {
            j.field("object_type", BacnetNames.objectTypeName(b.objectType)).field("object_type_id", b.objectType)
                .field("instance", b.instance);
        }
        if (b.propertyId >= 0) {
            j.field("property", BacnetNames.propertyName(b.propertyId)).field("property_id", b.propertyId);
        }
        if (b.arrayIndex >= 0) {
            j.field("array_index", b.arrayIndex);
        }
        optional(j, "priority", b.priority);
        if (b.value.present()) {
            j.field("value", b.value.render(b.buffer));
        }
        if (b.deviceInstance >= 0) {
            j.field("device_instance", b.deviceInstance);
            if (b.deviceObjectType >= 0) {
                j.field("device_object_type_id", b.deviceObjectType);
            }
        }
        optional(j, "vendor_id", b.vendorId);
        if (b.errorClass >= 0) {
            j.field("error_class", BacnetNames.errorClassName(b.errorClass)).field("error_code", b.errorCode);
        }
        if (b.segmented) {
            j.field("segmented", true).field("sequence_number", b.sequenceNumber);
        }
        if (b.malformed) {
            j.field("malformed", b.malformedReason);
        }
    }

    public static void dns(JsonWriter j, DnsMessage m) {
        j.field("id", m.id)
            .field("is_response", m.qr)
            .field("opcode", DnsNames.opcodeName(m.opcode))
            .field("rcode", m.qr ? DnsNames.rcodeName(m.rcode) : null)
            .field("qname", m.hasQuestion ? m.qnameString() : null)
            .field("qtype", m.hasQuestion ? DnsNames.typeName(m.qtype) : null)
            .field("answers", m.answersParsed);
        j.beginArray("answer_addresses");
        for (int i = 0; i < m.answerCount; i++) {
            if (m.answerType[i] == DnsNames.A || m.answerType[i] == DnsNames.AAAA) {
                j.value(IpAddresses.toString(m.answerAddrHi[i], m.answerAddrLo[i]));
            }
        }
        j.endArray();
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
        }
    }

    public static void opcua(JsonWriter j, OpcUaMessage m) {
        j.field("msg_type", m.typeName())
            .field("chunk", String.valueOf(m.chunk));
        optional(j, "secure_channel_id", m.secureChannelId);
        optional(j, "token_id", m.tokenId);
        optional(j, "sequence_number", m.sequenceNumber);
        optional(j, "request_id", m.requestId);
        if (m.type == OpcUaMessage.HEL) {
            j.field("endpoint_url", m.endpointUrl());
        }
        if (m.type == OpcUaMessage.OPN) {
            j.field("security_policy", OpcUaMessage.policyName(m.securityPolicy));
        }
        optional(j, "security_mode", m.securityMode);
        j.field("encrypted", m.encrypted);
        if (m.serviceId >= 0) {
            j.field("service", m.serviceName())
                .field("service_node_id", "ns=" + m.serviceNamespace + ";i=" + m.serviceId);
        } else {
            j.nullField("service").nullField("service_node_id");
        }
        if (m.serviceResult >= 0) {
            j.field("status_code", OpcUaNames.status(m.serviceResult));
        }
        if (m.nodes.count > 0) {
            j.beginArray("node_ids");
            for (int i = 0; i < m.nodes.count; i++) {
                j.value(m.nodes.toString(m.buf, i));
            }
            j.endArray();
        }
        if (m.matched) {
            j.field("request_frame", m.requestFrame).field("latency_us", m.latencyNanos / 1000);
        }
        if (m.type == OpcUaMessage.ERR) {
            j.field("error", OpcUaNames.status(m.errorCode)).field("reason", m.reason());
        }
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
        }
    }

    public static void tls(JsonWriter j, TlsHello h) {
        j.field("handshake", h.isClient ? "client_hello" : "server_hello")
            .field("version", String.format("0x%04x", h.version()))
            .field("sni", text(h.data, h.sniOffset, h.sniLength))
            .field("alpn", text(h.data, h.alpnOffset, h.alpnLength))
            .field(h.isClient ? "ja3" : "ja3s", h.ja3Valid ? hex(h.ja3) : null)
            .field(h.isClient ? "ja4" : "ja4s", h.ja4String());
        if (!h.isClient) {
            j.field("cipher_suite", String.format("0x%04x", h.selectedCipherSuite));
        }
        if (h.malformed) {
            j.field("malformed", true);
        }
    }

    public static void http(JsonWriter j, HttpMessage m) {
        j.field("is_request", m.isRequest);
        if (m.isRequest) {
            j.field("method", text(m.data, m.methodOffset, m.methodLength))
                .field("uri", text(m.data, m.uriOffset, m.uriLength))
                .field("host", text(m.data, m.hostOffset, m.hostLength))
                .field("user_agent", text(m.data, m.userAgentOffset, m.userAgentLength));
        } else {
            j.field("status", m.statusCode);
        }
        if (m.malformed) {
            j.field("malformed", true);
        }
    }

    public static void ssh(JsonWriter j, SshBanner b) {
        j.field("protocol", text(b.data, b.protoVersionOffset, b.protoVersionLength))
            .field("software", text(b.data, b.softwareVersionOffset, b.softwareVersionLength))
            .field("comments", text(b.data, b.commentsOffset, b.commentsLength));
        if (b.bareLf) {
            j.field("bare_lf", true);
        }
        if (b.malformed) {
            j.field("malformed", true);
        }
    }

    public static void dhcp(JsonWriter j, DhcpMessage m) {
        j.field("message_type", m.messageType >= 0 ? DhcpMessage.typeName(m.messageType) : null)
            .field("client_mac", m.chaddr >= 0 ? m.macString() : null)
            .field("requested_ip", m.hasRequestedIp ? IpAddresses.ipv4ToString(m.requestedIp) : null)
            .field("hostname", text(m.buffer, m.hostnameOffset, m.hostnameLength))
            .field("vendor_class", text(m.buffer, m.vendorClassOffset, m.vendorClassLength));
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
        }
    }

    public static void ntp(JsonWriter j, NtpMessage m) {
        j.field("version", m.version).field("mode", NtpMessage.modeName(m.mode));
        optional(j, "stratum", m.stratum);
        if (m.controlOrPrivate) {
            j.field("control_or_private", true);
        }
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
        }
    }

    public static void snmp(JsonWriter j, SnmpMessage m) {
        j.field("version", m.version == SnmpMessage.V3 ? "3" : m.version == SnmpMessage.V2C ? "2c" : "1")
            .field("pdu_type", m.pduType >= 0 ? SnmpMessage.pduName(m.pduType) : null);
        if (m.version == SnmpMessage.V3) {
            j.field("user", text(m.buffer, m.userNameOffset, m.userNameLength)).field("encrypted", m.encrypted);
        } else {
            // The community is a password: say whether one is present and default, never print it.
            j.field("community_present", m.communityLength > 0).field("community_default", m.communityIsDefault);
        }
        j.field("varbinds", m.varbindCount);
        if (m.varbindCount > 0 && !m.encrypted) {
            j.beginArray("oids");
            for (int i = 0; i < Math.min(m.varbindCount, SnmpMessage.MAX_OIDS); i++) {
                j.value(m.oid(i));
            }
            j.endArray();
        }
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
        }
    }

    /**
     * SMB: numbers as on the wire, NTSTATUS and session id in hex as Wireshark shows them. {@code tree} and
     * {@code filename} are names the message itself carries (TREE_CONNECT/CREATE requests); {@code share} and
     * {@code file} the names the flow learnt for its tree id and file id. Encrypted messages carry only the transform
     * header's fields.
     */
    public static void smb(JsonWriter j, SmbMessage m) {
        j.field("version", m.versionName());
        if (m.encrypted) {
            j.field("encrypted", true)
                .field("session_id", String.format("0x%016x", m.sessionId))
                .field("original_size", m.originalMessageSize)
                .field("transform_flags", m.transformFlags);
            malformed(j, m);
            return;
        }
        if (m.compressed) {
            j.field("compressed", true)
                .field("original_compressed_segment_size", m.originalCompressedSegmentSize)
                .field("compression_algorithm", m.compressionAlgorithm)
                .field("compression_flags", m.compressionFlags)
                .field(m.compressionFlags == 1 ? "compression_length" : "compression_offset", m.compressionOffset);
            if (m.compressionOverflow) {
                j.field("compression_overflow", true);
            }
        }
        if (m.hasHeader) {
            j.field("command", m.command).field("command_name", m.commandName())
                .field("is_response", m.isResponse);
            if (m.status >= 0) {
                j.field("status", String.format("0x%08x", m.status));
            } else {
                j.nullField("status");
            }
            if (m.dosError >= 0) {
                j.field("dos_error", String.format("0x%08x", m.dosError));
            }
            j.fieldUnsigned("message_id", m.messageId);
            if (m.version == SmbMessage.SMB1) {
                j.field("session_id", m.sessionId); // the 16-bit UID
            } else {
                j.field("session_id", String.format("0x%016x", m.sessionId));
            }
            optional(j, "tree_id", m.treeId);
            if (m.asyncId >= 0 || m.async) {
                j.fieldUnsigned("async_id", m.asyncId);
            }
            j.field("flags", m.flags);
            if (m.version != SmbMessage.SMB1) {
                j.field("credits", m.credits);
                if (m.related || m.compoundIndex > 0 || m.nextCommand != 0) {
                    j.field("compound_index", m.compoundIndex).field("related", m.related);
                }
            }
            if (m.signed) {
                j.field("signed", true);
            }
        }
        if (m.dialectCount > 0) {
            j.beginArray("dialects");
            for (int i = 0; i < Math.min(m.dialectCount, SmbMessage.MAX_DIALECTS); i++) {
                j.value(String.format("0x%04x", m.dialects[i]));
            }
            j.endArray();
        } else if (m.dialectNameCount > 0) {
            j.beginArray("dialects");
            for (int i = 0; i < m.dialectNameCount; i++) {
                j.value(m.dialectName(i));
            }
            j.endArray();
        }
        if (m.command == SmbMessage.NEGOTIATE && m.isResponse && m.version != SmbMessage.SMB1 && m.dialect >= 0) {
            j.field("dialect", String.format("0x%04x", m.dialect));
        }
        if (m.dialectIndex >= 0) {
            j.field("dialect_index", m.dialectIndex);
        }
        algorithms(j, "preauth_hashes", m.hashAlgorithms, m.hashAlgorithmCount);
        algorithms(j, "ciphers", m.ciphers, m.cipherCount);
        algorithms(j, "compression_algorithms", m.compressionAlgorithms, m.compressionAlgorithmCount);
        algorithms(j, "signing_algorithms", m.signingAlgorithms, m.signingAlgorithmCount);
        text(j, "tree", m.tree);
        text(j, "filename", m.filename);
        text(j, "share", m.share);
        text(j, "file", m.file);
        text(j, "user", m.user);
        text(j, "domain", m.domain);
        text(j, "workstation", m.workstation);
        if (m.shareType >= 0) {
            j.field("share_type", m.shareType);
        }
        if (m.length >= 0) {
            j.field("length", m.length);
        }
        if (m.offset >= 0) {
            j.fieldUnsigned("offset", m.offset);
        }
        if (m.ctlCode >= 0) {
            j.field("ioctl", String.format("0x%08x", m.ctlCode));
        }
        if (m.andxCount > 0) {
            j.beginArray("andx");
            for (int i = 0; i < m.andxCount; i++) {
                j.value(m.andx[i]);
            }
            j.endArray();
        }
        if (m.truncated) {
            j.field("truncated", true);
        }
        malformed(j, m);
    }

    private static void algorithms(JsonWriter j, String name, int[] values, int count) {
        if (count > 0) {
            j.beginArray(name);
            for (int i = 0; i < count; i++) {
                j.value(values[i]);
            }
            j.endArray();
        }
    }

    private static void text(JsonWriter j, String name, SmbText t) {
        if (t.present()) {
            j.field(name, t.toString());
        }
    }

    private static void malformed(JsonWriter j, SmbMessage m) {
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
        }
    }

    /** Text from a flyweight's offsets, null when absent; ISO-8859-1 keeps every byte visible. */
    private static String text(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return null;
        }
        return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >>> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }

    private static void optional(JsonWriter j, String name, long value) {
        if (value >= 0) {
            j.field(name, value);
        } else {
            j.nullField(name);
        }
    }
}
