package io.vigil.export.json;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.bacnet.BacnetNames;
import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.dhcp.DhcpMessage;
import io.vigil.protocols.nbns.NbnsMessage;
import io.vigil.protocols.dns.DnsMessage;
import io.vigil.protocols.dns.DnsNames;
import io.vigil.protocols.enip.EnipMessage;
import io.vigil.protocols.enip.EnipNames;
import io.vigil.protocols.http.HttpMessage;
import io.vigil.protocols.iec104.Iec104Apdu;
import io.vigil.protocols.iec104.Iec104Names;
import io.vigil.protocols.modbus.ModbusPdu;
import io.vigil.protocols.mqtt.MqttMessage;
import io.vigil.protocols.ntp.NtpMessage;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.opcua.OpcUaNames;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.s7comm.S7Message;
import io.vigil.protocols.s7comm.S7Names;
import io.vigil.protocols.snmp.SnmpMessage;
import io.vigil.protocols.ssh.SshBanner;
import io.vigil.protocols.tls.TlsHello;
import java.nio.charset.StandardCharsets;
import io.vigil.protocols.smb.SmbMessage;
import io.vigil.protocols.smb.SmbText;
import io.vigil.protocols.dnp3.Dnp3Message;
import io.vigil.protocols.dnp3.Dnp3Names;

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
        if (b.reassembled) {
            j.field("reassembled_segments", b.segmentCount);
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

    public static void nbns(JsonWriter j, NbnsMessage m) {
        j.field("transaction_id", m.transactionId)
            .field("is_response", m.response)
            .field("opcode", m.opcode)
            .field("rcode", m.rcode)
            .field("name", m.nameLength > 0 ? m.nameString() : null)
            .field("suffix", m.suffix >= 0 ? String.format("0x%02x", m.suffix) : null)
            .field("address", m.hasAddress ? io.vigil.protocols.IpAddresses.ipv4ToString(m.address) : null);
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
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
     * An EtherNet/IP message: the encapsulation header, command data (RegisterSession version,
     * ListIdentity identity), CPF addressing, and the CIP service with its path. On a matched
     * response the path is the request's ({@code request_frame} says which). Implicit I/O lines
     * ({@code "kind":"io"}) carry only connection id, sequence and data length.
     */
    public static void enip(JsonWriter j, EnipMessage m) {
        if (m.kind == EnipMessage.KIND_IO) {
            j.field("kind", "io").field("connection_id", m.connectionId).field("sequence", m.encapSequence);
            optional(j, "data_length", m.ioDataLength);
            if (m.malformed) {
                j.field("malformed", m.malformedReason);
            }
            return;
        }
        j.field("kind", "encap")
            .field("command", EnipNames.command(m.command))
            .field("command_id", m.command)
            .field("length", m.encapLength)
            .field("session", m.session)
            .field("status", m.status)
            .field("sender_context", String.format("%016x", m.senderContext));
        if (m.options != 0) {
            j.field("options", m.options);
        }
        if (m.protocolVersion >= 0) {
            j.field("protocol_version", m.protocolVersion);
        }
        if (m.vendorId >= 0) {
            j.field("vendor_id", m.vendorId)
                .field("device_type", m.deviceType)
                .field("product_code", m.productCode)
                .field("revision", m.revisionMajor + "." + m.revisionMinor)
                .field("device_status", m.deviceStatus)
                .field("serial_number", String.format("0x%08x", m.serialNumber))
                .field("product_name", m.productName());
            optional(j, "device_state", m.deviceState);
            if (m.socketAddress >= 0) {
                j.field("socket_address", IpAddresses.ipv4ToString((int) m.socketAddress))
                    .field("socket_port", m.socketPort);
            }
        }
        if (m.capabilityFlags >= 0) {
            j.field("capability_flags", m.capabilityFlags);
        }
        if (m.connectionId >= 0) {
            j.field("connection_id", m.connectionId);
        }
        if (m.cipSequence >= 0) {
            j.field("cip_sequence", m.cipSequence);
        }
        if (m.connectionClass >= 0) {
            j.field("connection_class", m.connectionClass);
            optional(j, "connection_instance", m.connectionInstance);
        }
        if (!m.hasCip) {
            j.nullField("cip_service");
            if (m.malformed) {
                j.field("malformed", m.malformedReason);
            }
            return;
        }
        j.field("cip_service", m.service)
            .field("cip_service_name", EnipNames.service(m.service, m.cipClass))
            .field("is_response", m.isResponse);
        if (m.isResponse) {
            j.field("general_status", m.generalStatus);
            optional(j, "extended_status", m.extendedStatus);
        }
        optional(j, "class", m.cipClass);
        optional(j, "instance", m.instance);
        optional(j, "attribute", m.attribute);
        if (m.member >= 0) {
            j.field("member", m.member);
        }
        if (m.nestedClass >= 0) {
            j.field("nested_class", m.nestedClass);
            optional(j, "nested_instance", m.nestedInstance);
        }
        if (m.connectionPoint >= 0) {
            j.field("connection_point", m.connectionPoint);
        }
        if (m.hasEmbedded) {
            j.field("embedded_service", m.embeddedService)
                .field("embedded_service_name", EnipNames.service(m.embeddedService, m.embeddedClass));
            optional(j, "embedded_class", m.embeddedClass);
            optional(j, "embedded_instance", m.embeddedInstance);
            optional(j, "embedded_attribute", m.embeddedAttribute);
        }
        j.field("tag", m.tag());
        if (m.serviceCount > 0) {
            j.field("service_count", m.serviceCount).beginArray("services");
            int attr = 0;
            for (int i = 0; i < Math.min(m.serviceCount, EnipMessage.MAX_SERVICES); i++) {
                j.beginObject().field("service", m.services[i]);
                if (m.isResponse) {
                    optional(j, "general_status", m.serviceStatus[i]);
                } else {
                    optional(j, "class", m.serviceClass[i]);
                    optional(j, "instance", m.serviceInstance[i]);
                    optional(j, "attribute", m.serviceAttribute[i]);
                    if (m.serviceAttributeCount[i] > 0) {
                        j.beginArray("attributes");
                        for (int k = 0; k < m.serviceAttributeCount[i] && attr < m.attributeCount; k++) {
                            j.value(m.attributes[attr++]);
                        }
                        j.endArray();
                    }
                }
                j.endObject();
            }
            j.endArray();
        } else if (m.attributeCount > 0) {
            j.beginArray("attributes");
            for (int i = 0; i < m.attributeCount; i++) {
                j.value(m.attributes[i]);
            }
            j.endArray();
        }
        if (m.otConnectionId >= 0) {
            j.field("ot_connection_id", m.otConnectionId).field("to_connection_id", m.toConnectionId);
        }
        if (m.connectionSerial >= 0) {
            j.field("connection_serial", m.connectionSerial)
                .field("originator_vendor", m.originatorVendor)
                .field("originator_serial", m.originatorSerial);
        }
        if (m.otRpi >= 0) {
            j.field("ot_rpi", m.otRpi).field("to_rpi", m.toRpi);
        }
        if (m.connPathClass >= 0 || m.connPathInstance >= 0 || m.connPathPoint >= 0) {
            optional(j, "conn_path_class", m.connPathClass);
            optional(j, "conn_path_instance", m.connPathInstance);
            optional(j, "conn_path_point", m.connPathPoint);
        }
        if (m.dataTypeCode >= 0) {
            j.field("data_type", m.dataTypeCode);
        }
        optional(j, "element_count", m.elementCount);
        if (m.valueCount > 0) {
            j.beginArray("values");
            for (int i = 0; i < m.valueCount; i++) {
                j.value(Double.toString(m.values[i]));
            }
            j.endArray();
        }
        if (m.isResponse && m.matched) {
            j.field("request_frame", m.requestFrame).field("latency_us", m.latencyNanos / 1000);
        }
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
        }
    }

    /**
     * One ISO-on-TCP message: COTP connection PDUs with their TSAPs (rack/slot for two-byte S7 TSAPs),
     * S7comm PDUs (header, function, items, values, userdata group/subfunction, SZL, block, PI service)
     * and S7comm-plus PDUs ({@code s7plus: true}: version, opcode, function, seq). Passwords are never
     * printed, only whether one was sent.
     */
    public static void s7comm(JsonWriter j, S7Message m) {
        j.field("cotp", S7Names.cotpType(m.cotpType));
        if (m.cotpType != S7Message.COTP_DT) {
            optional(j, "dst_ref", m.dstRef);
            optional(j, "src_ref", m.srcRef);
            if (m.cotpClass >= 0) {
                j.field("cotp_class", m.cotpClass);
            }
            if (m.srcTsapLength > 0) {
                j.field("src_tsap", m.srcTsapString());
            }
            if (m.dstTsapLength > 0) {
                j.field("dst_tsap", m.dstTsapString());
                if (m.dstTsapLength == 2) {
                    j.field("rack", (m.dstTsap[1] >>> 5) & 7).field("slot", m.dstTsap[1] & 0x1F);
                }
            }
            if (m.tpduSize > 0) {
                j.field("tpdu_size", m.tpduSize);
            }
            if (m.cotpReason >= 0) {
                j.field("reason", m.cotpReason);
            }
        } else if (m.fragments > 1) {
            j.field("fragments", m.fragments);
        }
        if (m.truncated) {
            j.field("truncated", true);
        }
        if (m.payload == S7Message.PAYLOAD_S7PLUS) {
            s7plus(j, m);
        } else if (m.payload == S7Message.PAYLOAD_S7COMM) {
            s7commPdu(j, m);
        } else if (m.payload == S7Message.PAYLOAD_OTHER) {
            j.field("payload", "other").field("payload_id", m.buf[m.payloadOffset] & 0xFF);
        }
        j.field("kind", IcsOp.kindName(m.kind)).field("is_response", m.isResponse);
        if (m.isError) {
            j.field("error", true);
        }
        if (m.opaque) {
            j.field("opaque", true);
        }
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
        }
    }

    private static void s7plus(JsonWriter j, S7Message m) {
        j.field("s7plus", true).field("version", m.plusVersion).field("length", m.plusDataLength);
        optional(j, "opcode", m.plusOpcode);
        if (m.plusOpcode >= 0 && S7Names.plusOpcode(m.plusOpcode) != null) {
            j.field("opcode_name", S7Names.plusOpcode(m.plusOpcode));
        }
        optional(j, "function", m.plusFunction);
        if (m.plusFunction >= 0 && S7Names.plusFunction(m.plusFunction) != null) {
            j.field("function_name", S7Names.plusFunction(m.plusFunction));
        }
        optional(j, "seq", m.plusSequence);
        if (m.plusContinuation) {
            j.field("continuation", true);
        }
        if (m.plusIntegrity) {
            j.field("integrity", true);
        }
    }

    private static void s7commPdu(JsonWriter j, S7Message m) {
        j.field("s7plus", false);
        optional(j, "rosctr", m.rosctr);
        if (S7Names.rosctr(m.rosctr) != null) {
            j.field("rosctr_name", S7Names.rosctr(m.rosctr));
        }
        optional(j, "pdu_ref", m.pduRef);
        optional(j, "param_len", m.paramLength);
        optional(j, "data_len", m.dataLength);
        optional(j, "error_class", m.errorClass);
        optional(j, "error_code", m.errorCode);
        optional(j, "func_code", m.function);
        if (m.function >= 0 && S7Names.function(m.function) != null) {
            j.field("func_name", S7Names.function(m.function));
        }
        if (m.rosctr == S7Message.USERDATA) {
            optional(j, "userdata_method", m.udMethod);
            optional(j, "userdata_type", m.udType);
            optional(j, "userdata_group", m.udGroup);
            if (m.udGroup >= 0 && S7Names.userdataGroup(m.udGroup) != null) {
                j.field("userdata_group_name", S7Names.userdataGroup(m.udGroup));
            }
            optional(j, "subfunc", m.udSubfunction);
            String sub = S7Names.userdataSubfunction(m.udGroup, m.udSubfunction);
            if (sub != null) {
                j.field("subfunc_name", sub);
            }
            optional(j, "seq", m.udSequence);
            if (m.udDataUnitRef >= 0) {
                j.field("data_unit_ref", m.udDataUnitRef).field("last_data_unit", m.udLastDataUnit)
                    .field("userdata_error", m.udErrorCode);
            }
            optional(j, "return_code", m.udReturnCode);
            if (m.udContinuation) {
                j.field("continuation", true);
            }
        } else {
            j.nullField("userdata_group").nullField("subfunc");
        }
        if (m.pduSize >= 0) {
            j.field("max_amq_calling", m.maxAmqCalling).field("max_amq_called", m.maxAmqCalled)
                .field("pdu_size", m.pduSize);
        }
        if (m.itemCount >= 0) {
            j.field("item_count", m.itemCount);
        }
        if (m.items > 0) {
            j.beginArray("items");
            for (int i = 0; i < m.items; i++) {
                j.beginObject().field("syntax", m.itemSyntax[i]);
                if (m.itemArea[i] >= 0) {
                    String area = S7Names.area(m.itemArea[i]);
                    j.field("area", area != null ? area : Integer.toString(m.itemArea[i]))
                        .field("area_id", m.itemArea[i])
                        .field("db", m.itemDb[i]);
                    if (m.itemBit[i] >= 0) {
                        j.field("address", m.itemAddress[i]).field("bit", m.itemBit[i]);
                    } else {
                        j.field("number", m.itemAddress[i]); // timer or counter number
                    }
                    j.field("transport_size", m.itemTransportSize[i])
                        .field("length", m.itemLength[i]);
                }
                j.endObject();
            }
            j.endArray();
        } else {
            j.nullField("items");
        }
        if (m.dataItems > 0) {
            j.beginArray("return_codes");
            for (int i = 0; i < m.dataItems; i++) {
                j.value(m.dataReturnCode[i]);
            }
            j.endArray();
        }
        if (m.valueCount > 0) {
            j.beginArray("values");
            for (int i = 0; i < m.valueCount; i++) {
                double v = m.values[i];
                if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    j.value((long) v);
                } else {
                    j.value(v);
                }
            }
            j.endArray();
        } else {
            j.nullField("values");
        }
        if (m.functionStatus >= 0) {
            j.field("function_status", m.functionStatus);
        }
        if (m.fileNameLength > 0) {
            j.field("filename", m.fileNameString());
        }
        j.field("block", m.blockString()).field("pi_service", m.piServiceString());
        optional(j, "szl_id", m.szlId);
        if (m.szlIndex >= 0) {
            j.field("szl_index", m.szlIndex);
        }
        if (m.passwordPresent) {
            j.field("password_present", true);
        }
    }

    public static void iec104(JsonWriter j, Iec104Apdu a) {
        j.field("apci_type", a.apciTypeName())
            .field("apdu_len", a.apduLength)
            .field("u_func", a.uControl >= 0 ? uFunction(a.uControl) : null);
        optional(j, "tx_seq", a.txSeq);
        optional(j, "rx_seq", a.rxSeq);
        if (a.hasAsdu) {
            // A short ASDU header leaves the fields it does not reach at -1: null here.
            j.field("type_id", a.typeId)
                .field("type_name", Iec104Names.typeName(a.typeId));
            if (a.numObjects >= 0) {
                j.field("sq", a.sq).field("num_objects", a.numObjects);
            } else {
                j.nullField("sq").nullField("num_objects");
            }
            if (a.cot >= 0) {
                j.field("cot", a.cot)
                    .field("cot_name", Iec104Names.causeName(a.cot))
                    .field("negative", a.negative)
                    .field("test", a.test);
            } else {
                j.nullField("cot").nullField("cot_name").nullField("negative").nullField("test");
            }
            optional(j, "oa", a.originator);
            optional(j, "common_address", a.commonAddress);
            j.beginArray("ioa");
            for (int i = 0; i < a.ioaCount; i++) {
                j.value(a.ioa[i]);
            }
            j.endArray();
            j.beginArray("values");
            for (int i = 0; i < a.valueCount; i++) {
                j.value(a.values[i]);
            }
            j.endArray();
            if (a.qualifier >= 0) {
                j.field("select", a.select).field("qualifier", a.qualifier);
            }
            if (a.timeMillis >= 0) {
                j.field("time", java.time.Instant.ofEpochMilli(a.timeMillis).toString());
                if (a.timeInvalid) {
                    j.field("time_invalid", true);
                }
            }
            if (a.unknownType) {
                j.field("unknown_type", true);
            }
            if (a.objectsNotWalked) {
                j.field("objects_not_walked", true);
            }
        } else {
            j.nullField("type_id").nullField("type_name").nullField("cot").nullField("common_address");
        }
        if (a.malformed) {
            j.field("malformed", a.malformedReason);
        }
    }

    /** MQTT: the password is never printed, only whether one is present. */
    public static void mqtt(JsonWriter j, MqttMessage m) {
        j.field("msg_type", MqttMessage.typeName(m.type)).field("msg_type_id", m.type);
        if (m.type == MqttMessage.PUBLISH) {
            j.field("qos", m.qos).field("retain", m.retain).field("dup", m.dup);
        } else {
            j.nullField("qos").nullField("retain").nullField("dup");
        }
        optional(j, "packet_id", m.packetId);
        optional(j, "protocol_version", m.protocolVersion > 0 ? m.protocolVersion : -1);
        if (m.type == MqttMessage.CONNECT) {
            j.field("protocol_name", m.protocolName())
                .field("client_id", m.clientId())
                .field("username", m.hasUsername ? m.username() : null)
                .field("has_password", m.hasPassword)
                .field("keepalive", m.keepAlive);
            if (m.connectFlags >= 0) {
                j.field("clean_session", (m.connectFlags & 0x02) != 0)
                    .field("will_topic", m.text(m.willTopicOffset, m.willTopicLength));
            }
        }
        if (m.type == MqttMessage.PUBLISH) {
            j.field("topic", m.topic());
            optional(j, "payload_len", m.payloadLength);
        }
        if (m.topicCount > 0) {
            j.beginArray("topics");
            for (int i = 0; i < m.topicCount; i++) {
                j.value(m.topicFilter(i));
            }
            j.endArray();
            if (m.type == MqttMessage.SUBSCRIBE) {
                j.beginArray("requested_qos");
                for (int i = 0; i < m.topicCount; i++) {
                    j.value(m.requestedQos[i]);
                }
                j.endArray();
            }
        }
        if (m.type == MqttMessage.CONNACK) {
            j.field(m.protocolVersion == 5 ? "reason_code" : "return_code", m.reasonCode)
                .field("session_present", m.sessionPresent);
        } else if (m.reasonCode >= 0) {
            j.field("reason_code", m.reasonCode);
        }
        if (m.reasonCodeCount > 0) {
            j.beginArray(m.type == MqttMessage.SUBACK ? "return_codes" : "reason_codes");
            for (int i = 0; i < m.reasonCodeCount; i++) {
                j.value(m.reasonCodes[i]);
            }
            j.endArray();
        }
        j.field("remaining_len", m.remainingLength);
        if (m.truncated) {
            j.field("truncated", true);
        }
        if (m.malformed) {
            j.field("malformed", m.malformedReason);
        }
    }

    /** STARTDT_ACT etc.; an invalid control octet as its hex value. */
    private static String uFunction(int control) {
        String name = Iec104Names.uFunctionName(control);
        return name != null ? name : String.format("0x%02x", control);
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
