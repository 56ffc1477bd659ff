package io.vigil.protocols.observe;

/** What an {@link Observation} reports. Application-layer kinds join this list with their decoders. */
public enum ObservationType {
    /** First packet of a new flow; src = client, dst = server. */
    FLOW_START,
    /** A flow ended (timeout, close, eviction, end of capture); carries the flow's totals. */
    FLOW_END,
    /** An ARP packet binding the sender IP to the sender MAC (src); dst = the target of the request/reply. */
    ARP_CLAIM,
    /** A Modbus/TCP ADU (request or response); src = sender. Details in {@link Observation#modbus}. */
    MODBUS_OP,
    /** A BACnet/IP message; src = sender. Details in {@link Observation#bacnet}. */
    BACNET_OP,
    /** An OPC UA binary message (UA TCP / secure conversation); src = sender. Details in {@link Observation#opcua}. */
    OPCUA_OP,
    /** A DNS, mDNS or LLMNR query or response; src = sender. Details in {@link Observation#dns}. */
    DNS_QUERY,
    /** A TLS ClientHello or ServerHello; details in {@link Observation#named}. */
    TLS_HELLO,
    /**
     * A cleartext TLS heartbeat; in {@link Observation#named}: code = 1 request / 2 response,
     * number = declared payload length, address = record length, flag = the payload cannot fit the
     * record with its required padding (the Heartbleed shape).
     */
    TLS_HEARTBEAT,
    /** An HTTP/1.x request or response head; details in {@link Observation#named}. */
    HTTP_MESSAGE,
    /** An SSH identification string; details in {@link Observation#named}. */
    SSH_BANNER,
    /** A DHCP message; details in {@link Observation#named}. */
    DHCP_MESSAGE,
    /**
     * A NetBIOS Name Service datagram; in {@link Observation#named}: code = opcode, flag = response,
     * name = NetBIOS name, number = its suffix byte, address = the IPv4 address it states (0 if none),
     * mac = 1 when the datagram claims the name for that address (registration, refresh, positive answer).
     */
    NETBIOS_NAME,
    /** An NTP message; details in {@link Observation#named}. */
    NTP_MESSAGE,
    /** An SNMP message; details in {@link Observation#named}. */
    SNMP_MESSAGE,
    /** An SMB2/3 message; details in {@link Observation#named}. */
    SMB_MESSAGE,
    /** An MQTT control packet; details in {@link Observation#named}. */
    MQTT_MESSAGE,
    /** A DNP3 application fragment; details in {@link Observation#ics}. */
    DNP3_OP,
    /** An S7comm or S7comm-plus PDU; details in {@link Observation#ics}. */
    S7COMM_OP,
    /** An EtherNet/IP encapsulation message and its CIP service; details in {@link Observation#ics}. */
    ENIP_OP,
    /** An IEC 60870-5-104 APDU; details in {@link Observation#ics}. */
    IEC104_OP,
    /**
     * A flow on a protocol's registered port that does not speak it (e.g. not Modbus on TCP 502);
     * {@link Observation#appProtocol} names the expected protocol.
     */
    PROTOCOL_MISMATCH,
    /**
     * A long flow's bytes in one direction crossed 1 MiB, 8 MiB, 64 MiB, ... ({@link FlowProgress});
     * src = client. Byte fields carry the totals so far as thresholds crossed, and the reported fields what earlier
     * progress observations of the flow already carried, so volume consumers credit {@code bytesTo* - reportedBytesTo*}
     * here and at FLOW_END and count each byte once. Packet totals are exact and informational.
     */
    FLOW_PROGRESS,
    /** Control marker: the flow worker that published it has flushed its last flow. Never reaches models. */
    END_OF_STREAM
}
