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
    SNMP("snmp", 161);

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
