package io.vigil.detectors;

/**
 * What an alert reports, with the MITRE ATT&CK technique it maps to (ATT&CK for ICS where the
 * behaviour is an OT one, Enterprise otherwise) and its base severity (OCSF severity_id: 1
 * informational, 2 low, 3 medium, 4 high, 5 critical) before the score adjusts it.
 */
public enum AlertType {
    NEW_DEVICE("New device", "T0864", "Transient Cyber Asset", 2),
    NEW_PEER("New peer", "T0886", "Remote Services", 3),
    CROSS_ZONE_PATH("First connection from the IT zone to an OT device", "T0886", "Remote Services", 4),
    NEW_SERVICE("New service on a device", "T0822", "External Remote Services", 3),
    NEW_INDUSTRIAL_OPERATION("New industrial operation", "T0855", "Unauthorized Command Message", 3),
    ROGUE_MASTER("Industrial commands from a new master", "T0848", "Rogue Master", 4),
    FIRST_WRITE("First write by a master that only read", "T0855", "Unauthorized Command Message", 4),
    CONTROL_COMMAND("Unusual control command", "T0816", "Device Restart/Shutdown", 4),
    PROGRAM_CHANGE("Unusual program or configuration change", "T0843", "Program Download", 5),
    VALUE_OUT_OF_RANGE("Written value outside its learned range", "T0836", "Modify Parameter", 4),
    SCAN("Network scan", "T0846", "Remote System Discovery", 3),
    ARP_SPOOFING("IP address claimed by another MAC in ARP", "T0830", "Adversary-in-the-Middle", 4),
    BEACONING("Beaconing to a rare external destination", "T1071", "Application Layer Protocol", 4),
    DNS_TUNNELLING("DNS tunnelling", "T1071.004", "Application Layer Protocol: DNS", 4),
    DGA_LOOKUPS("Lookups of generated domain names", "T1568.002", "Dynamic Resolution: Domain Generation Algorithms", 4),
    SHADOW_AI("Generative-AI service used by a host that never used one", "T1567", "Exfiltration Over Web Service", 2),
    INSECURE_SESSION("New OPC UA session without security", "T0859", "Valid Accounts", 3),
    PROTOCOL_EXPLOIT("Protocol field crafted to break the receiver's parser", "T1210",
        "Exploitation of Remote Services", 5),
    REQUEST_FLOOD("Request flood far above the device's learned rate", "T0814", "Denial of Service", 4),
    VOLUME_SPIKE("Traffic volume far above the device's learned maximum", "T1030", "Data Transfer Size Limits", 3),
    EXFILTRATION("Bulk transfer to an external address the device never used", "T1048",
        "Exfiltration Over Alternative Protocol", 4),
    POLLING_STOPPED("Regular polling stopped", "T0829", "Loss of View", 4),
    POLLING_PERIOD_CHANGED("Polling period changed", "T0831", "Manipulation of Control", 3),
    BRUTE_FORCE("Password guessing on a login service", "T1110", "Brute Force", 4);

    private final String title;
    private final String techniqueId;
    private final String techniqueName;
    private final int baseSeverity;

    AlertType(String title, String techniqueId, String techniqueName, int baseSeverity) {
        this.title = title;
        this.techniqueId = techniqueId;
        this.techniqueName = techniqueName;
        this.baseSeverity = baseSeverity;
    }

    public String title() {
        return title;
    }

    public String techniqueId() {
        return techniqueId;
    }

    public String techniqueName() {
        return techniqueName;
    }

    public int baseSeverity() {
        return baseSeverity;
    }

    /** Lower-case name used in JSON ("first_write"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
