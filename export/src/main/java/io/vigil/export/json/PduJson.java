package io.vigil.export.json;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.bacnet.BacnetNames;
import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.dhcp.DhcpMessage;
import io.vigil.protocols.dnp3.Dnp3Message;
import io.vigil.protocols.dnp3.Dnp3Names;
import io.vigil.protocols.dns.DnsMessage;
import io.vigil.protocols.dns.DnsNames;
import io.vigil.protocols.http.HttpMessage;
import io.vigil.protocols.modbus.ModbusPdu;
import io.vigil.protocols.ntp.NtpMessage;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.opcua.OpcUaNames;
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
            .field(h.isClient ? "ja3" : "ja3s", h.ja3Valid ? hex(h.ja3) : null);
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

    private static final String[] TRANSPORT_EVENTS = {null, "no_first_segment", "out_of_sequence", "restarted",
        "overflow", "crc_error"};

    /**
     * One DNP3 link frame: link fields always; transport fields for user-data frames; application
     * fields ({@code func_code}, {@code objects} as "gGvV", {@code iin}, ...) when the frame completed
     * a fragment, null otherwise.
     */
    public static void dnp3(JsonWriter j, Dnp3Message m) {
        j.field("src", m.source)
            .field("dst", m.destination)
            .field("link_func", m.linkFunction)
            .field("link_func_name", Dnp3Names.linkFunction(m.prm, m.linkFunction))
            .field("dir", m.dir)
            .field("prm", m.prm);
        if (m.prm) {
            j.field("fcb", m.fcb).field("fcv", m.fcvDfc);
        } else {
            j.field("dfc", m.fcvDfc);
        }
        j.field("link_len", m.linkLength);
        if (m.hasTransport) {
            j.field("tr_fir", m.transportFir).field("tr_fin", m.transportFin).field("tr_seq", m.transportSequence);
        }
        if (m.transportEvent != Dnp3Message.TR_OK) {
            j.field("transport_event", TRANSPORT_EVENTS[m.transportEvent]);
        }
        if (!m.hasApplication) {
            j.nullField("func_code").nullField("is_response").nullField("seq").nullField("iin").nullField("objects");
            if (m.malformed) {
                j.field("malformed", m.malformedReason);
            }
            return;
        }
        optional(j, "func_code", m.functionCode);
        j.field("func_name", Dnp3Names.function(m.functionCode))
            .field("kind", IcsOp.kindName(m.kind))
            .field("is_response", m.isResponse);
        optional(j, "seq", m.sequence);
        j.field("fir", m.fir).field("fin", m.fin).field("con", m.con).field("uns", m.uns);
        optional(j, "iin", m.iin);
        if (m.iin > 0) {
            j.beginArray("iin_flags");
            for (int bit = 15; bit >= 0; bit--) {
                if ((m.iin & (1 << bit)) != 0) {
                    j.value(Dnp3Names.iinFlag(1 << bit));
                }
            }
            j.endArray();
        }
        j.beginArray("objects");
        for (int i = 0; i < m.keptHeaders(); i++) {
            j.value(m.objectName(i));
        }
        j.endArray();
        if (m.headerCount > 0) {
            j.beginArray("headers");
            for (int i = 0; i < m.keptHeaders(); i++) {
                j.beginObject().field("obj", m.objectName(i))
                    .field("qualifier", m.qualifier[i] < 0 ? null : String.format("0x%02x", m.qualifier[i]));
                if (m.start[i] >= 0) {
                    j.field("start", m.start[i]).field("stop", m.stop[i]);
                }
                j.field("count", m.count[i]);
                if (m.firstIndex[i] >= 0) {
                    j.field("first_index", m.firstIndex[i]);
                }
                j.endObject();
            }
            j.endArray();
            if (m.headerCount > m.keptHeaders()) {
                j.field("header_count", m.headerCount);
            }
        }
        if (m.objectsPartial) {
            j.field("objects_partial", "g" + (m.partialObject >> 8) + "v" + (m.partialObject & 0xFF));
        }
        if (m.commandCount > 0) {
            j.beginArray("commands");
            for (int i = 0; i < m.keptCommands(); i++) {
                int obj = m.commandObject[i];
                j.beginObject().field("obj", "g" + (obj >> 8) + "v" + (obj & 0xFF));
                if (m.commandIndex[i] >= 0) {
                    j.field("index", m.commandIndex[i]);
                }
                if (m.commandCode[i] >= 0) {
                    j.field("code", m.commandCode[i]).field("count", m.commandRepeat[i])
                        .field("on_time", m.commandOnTime[i]).field("off_time", m.commandOffTime[i]);
                } else {
                    j.field("value", m.commandValue[i]);
                }
                if (m.commandStatus[i] >= 0) {
                    j.field("status", m.commandStatus[i]);
                }
                j.endObject();
            }
            j.endArray();
            // The same numbers as the observation carries: per CROB code, on-time, off-time; else the value.
            j.beginArray("values");
            for (int i = 0; i < m.keptCommands(); i++) {
                if (m.commandCode[i] >= 0) {
                    j.value(m.commandCode[i]).value(m.commandOnTime[i]).value(m.commandOffTime[i]);
                } else {
                    j.value(m.commandValue[i]);
                }
            }
            j.endArray();
        }
        if (m.nameLength > 0) {
            j.field("name", text(m.name, 0, m.nameLength));
        }
        j.field("fragment_len", m.fragmentLength).field("segments", m.segments);
        if (m.isError) {
            j.field("error", true);
        }
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
