package io.vigil.protocols.bacnet;

import java.nio.charset.StandardCharsets;

/** Names for output code (logs, JSON); the parser works on numbers only. */
public final class BacnetNames {
    private BacnetNames() {
    }

    private static final String[] BVLC_FUNCTIONS = {
        "BVLC-Result", "Write-Broadcast-Distribution-Table", "Read-Broadcast-Distribution-Table",
        "Read-Broadcast-Distribution-Table-Ack", "Forwarded-NPDU", "Register-Foreign-Device",
        "Read-Foreign-Device-Table", "Read-Foreign-Device-Table-Ack", "Delete-Foreign-Device-Table-Entry",
        "Distribute-Broadcast-To-Network", "Original-Unicast-NPDU", "Original-Broadcast-NPDU", "Secure-BVLL",
    };

    private static final String[] APDU_TYPES = {
        "Confirmed-REQ", "Unconfirmed-REQ", "SimpleACK", "ComplexACK", "SegmentACK", "Error", "Reject", "Abort",
    };

    private static final String[] CONFIRMED_SERVICES = {
        "acknowledgeAlarm", "confirmedCOVNotification", "confirmedEventNotification", "getAlarmSummary",
        "getEnrollmentSummary", "subscribeCOV", "atomicReadFile", "atomicWriteFile", "addListElement",
        "removeListElement", "createObject", "deleteObject", "readProperty", "readPropertyConditional",
        "readPropertyMultiple", "writeProperty", "writePropertyMultiple", "deviceCommunicationControl",
        "confirmedPrivateTransfer", "confirmedTextMessage", "reinitializeDevice", "vtOpen", "vtClose", "vtData",
        "authenticate", "requestKey", "readRange", "lifeSafetyOperation", "subscribeCOVProperty",
        "getEventInformation", "subscribeCOVPropertyMultiple", "confirmedCOVNotificationMultiple",
        "confirmedAuditNotification", "auditLogQuery",
    };

    private static final String[] UNCONFIRMED_SERVICES = {
        "i-Am", "i-Have", "unconfirmedCOVNotification", "unconfirmedEventNotification",
        "unconfirmedPrivateTransfer", "unconfirmedTextMessage", "timeSynchronization", "who-Has", "who-Is",
        "utcTimeSynchronization", "writeGroup", "unconfirmedCOVNotificationMultiple", "unconfirmedAuditNotification",
        "who-Am-I", "you-Are",
    };

    private static final String[] OBJECT_TYPES = {
        "analog-input", "analog-output", "analog-value", "binary-input", "binary-output", "binary-value",
        "calendar", "command", "device", "event-enrollment", "file", "group", "loop", "multi-state-input",
        "multi-state-output", "notification-class", "program", "schedule", "averaging", "multi-state-value",
        "trend-log", "life-safety-point", "life-safety-zone", "accumulator", "pulse-converter", "event-log",
        "global-group", "trend-log-multiple", "load-control", "structured-view", "access-door", "timer",
        "access-credential", "access-point", "access-rights", "access-user", "access-zone", "credential-data-input",
        "network-security", "bitstring-value", "characterstring-value", "date-pattern-value", "date-value",
        "datetime-pattern-value", "datetime-value", "integer-value", "large-analog-value", "octetstring-value",
        "positive-integer-value", "time-pattern-value", "time-value", "notification-forwarder", "alert-enrollment",
        "channel", "lighting-output", "binary-lighting-output", "network-port", "elevator-group", "escalator",
        "lift", "staging", "audit-log", "audit-reporter", "color", "color-temperature",
    };

    /** The properties a sensor sees most; the rest print as numbers. */
    private static final String[] PROPERTIES = new String[512];

    static {
        String[] p = {
            "0", "acked-transitions", "4", "action", "5", "action-text", "11", "apdu-timeout",
            "12", "application-software-version", "17", "notification-class", "22", "cov-increment",
            "28", "description", "30", "device-address-binding", "31", "device-type", "35", "event-enable",
            "36", "event-state", "37", "event-type", "41", "file-access-method", "42", "file-size",
            "44", "firmware-revision", "45", "high-limit", "46", "inactive-text", "52", "limit-enable",
            "56", "local-date", "57", "local-time", "58", "location", "59", "low-limit",
            "62", "max-apdu-length-accepted", "65", "max-pres-value", "69", "min-pres-value",
            "70", "model-name", "72", "notify-type", "73", "number-of-apdu-retries", "74", "number-of-states",
            "75", "object-identifier", "76", "object-list", "77", "object-name", "79", "object-type",
            "81", "out-of-service", "84", "polarity", "85", "present-value", "87", "priority-array",
            "96", "protocol-object-types-supported", "97", "protocol-services-supported", "98", "protocol-version",
            "103", "reliability", "104", "relinquish-default", "107", "segmentation-supported",
            "110", "state-text", "111", "status-flags", "112", "system-status", "113", "time-delay",
            "117", "units", "118", "update-interval", "119", "utc-offset", "120", "vendor-identifier",
            "121", "vendor-name", "123", "weekly-schedule", "130", "event-time-stamps", "139", "protocol-revision",
            "152", "active-cov-subscriptions", "155", "database-revision", "168", "profile-name",
            "371", "property-list",
        };
        for (int i = 0; i < p.length; i += 2) {
            PROPERTIES[Integer.parseInt(p[i])] = p[i + 1];
        }
    }

    private static final String[] ERROR_CLASSES = {
        "device", "object", "property", "resources", "security", "services", "vt", "communication",
    };

    private static final String[] REJECT_REASONS = {
        "other", "buffer-overflow", "inconsistent-parameters", "invalid-parameter-data-type", "invalid-tag",
        "missing-required-parameter", "parameter-out-of-range", "too-many-arguments", "undefined-enumeration",
        "unrecognized-service",
    };

    private static final String[] ABORT_REASONS = {
        "other", "buffer-overflow", "invalid-apdu-in-this-state", "preempted-by-higher-priority-task",
        "segmentation-not-supported", "security-error", "insufficient-security", "window-size-out-of-range",
        "application-exceeded-reply-time", "out-of-resources", "tsm-timeout", "apdu-too-long",
    };

    private static final String[] SEGMENTATION = {"segmented-both", "segmented-transmit", "segmented-receive",
        "no-segmentation"};

    private static String name(String[] table, int v, String prefix) {
        return v >= 0 && v < table.length && table[v] != null ? table[v] : prefix + v;
    }

    public static String bvlcFunctionName(int f) {
        return name(BVLC_FUNCTIONS, f, "bvlc-");
    }

    public static String apduTypeName(int t) {
        return name(APDU_TYPES, t, "apdu-");
    }

    public static String confirmedServiceName(int s) {
        return name(CONFIRMED_SERVICES, s, "confirmed-service-");
    }

    public static String unconfirmedServiceName(int s) {
        return name(UNCONFIRMED_SERVICES, s, "unconfirmed-service-");
    }

    public static String objectTypeName(int t) {
        return name(OBJECT_TYPES, t, t >= 128 ? "proprietary-object-" : "object-");
    }

    public static String propertyName(int p) {
        return name(PROPERTIES, p, p >= 512 ? "proprietary-property-" : "property-");
    }

    public static String errorClassName(int c) {
        return name(ERROR_CLASSES, c, "error-class-");
    }

    public static String rejectReasonName(int r) {
        return name(REJECT_REASONS, r, "reject-");
    }

    public static String abortReasonName(int r) {
        return name(ABORT_REASONS, r, "abort-");
    }

    public static String segmentationName(int s) {
        return name(SEGMENTATION, s, "segmentation-");
    }

    /** A BACnet CharacterString (clause 20.2.9) by its character set; unknown sets as ISO 8859-1. */
    public static String decodeString(byte[] buf, int off, int len, int charset) {
        switch (charset) {
            case 0: return new String(buf, off, len, StandardCharsets.UTF_8);
            case 4: return new String(buf, off, len, StandardCharsets.UTF_16BE);
            default: return new String(buf, off, len, StandardCharsets.ISO_8859_1);
        }
    }
}
