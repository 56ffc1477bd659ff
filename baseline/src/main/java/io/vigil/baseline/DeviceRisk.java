package io.vigil.baseline;

/** Weaknesses the traffic itself reveals about a device, listed in its inventory entry. */
public enum DeviceRisk {
    CLEARTEXT_CONTROL("serves an unauthenticated, cleartext control protocol"),
    OPCUA_NO_SECURITY("uses OPC UA with SecurityPolicy None"),
    SNMP_COMMUNITY("uses SNMP v1/v2c community strings (sent in clear)"),
    SNMP_DEFAULT_COMMUNITY("uses a default SNMP community (public/private)"),
    TELNET("serves Telnet"),
    FTP("serves FTP"),
    OLD_TLS("negotiates TLS older than 1.2"),
    OLD_SMB("serves SMB1 (deprecated: no encryption, weak signing, the EternalBlue family)"),
    HTTP_CLEARTEXT("serves plain HTTP");

    private final String text;

    DeviceRisk(String text) {
        this.text = text;
    }

    /** "serves Telnet": reads after the device's address. */
    public String text() {
        return text;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
