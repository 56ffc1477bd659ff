package io.vigil.protocols.app;

/** Application protocols the sensor decodes, as named in decode output and observations. */
public enum AppProtocol {
    MODBUS("modbus", 502),
    BACNET("bacnet", 47808),
    OPCUA("opcua", 4840),
    /** DNS on UDP/TCP 53; mDNS (5353) and LLMNR (5355) share the format and this label. */
    DNS("dns", 53),
    TLS("tls", 443),
    HTTP("http", 80),
    SSH("ssh", 22),
    DHCP("dhcp", 67),
    NTP("ntp", 123),
    SNMP("snmp", 161),
    /** SMB2/3 over TCP 445 (direct hosting) or 139 (NetBIOS session service). */
    SMB("smb", 445),
    /** DNP3 over TCP or UDP 20000. */
    DNP3("dnp3", 20000),
    /** S7comm and S7comm-plus over ISO-on-TCP (TPKT + COTP, RFC 1006) on TCP 102. */
    S7COMM("s7comm", 102),
    /** EtherNet/IP encapsulation (TCP/UDP 44818) carrying CIP. */
    ENIP("enip", 44818),
    /** IEC 60870-5-104 on TCP 2404. */
    IEC104("iec104", 2404),
    /** MQTT 3.1, 3.1.1 and 5 on TCP 1883. */
    MQTT("mqtt", 1883),
    /** NetBIOS Name Service on UDP 137: how Windows hosts register and find names. */
    NBNS("nbns", 137);

    private final String label;
    private final int port;

    AppProtocol(String label, int port) {
        this.label = label;
        this.port = port;
    }

    /** Lower-case name used in JSON ({@code "proto":"modbus"}) and on the command line. */
    public String label() {
        return label;
    }

    /** The protocol's registered port. */
    public int port() {
        return port;
    }
}
