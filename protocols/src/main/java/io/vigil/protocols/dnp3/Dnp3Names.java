package io.vigil.protocols.dnp3;

/** Names of DNP3 codes for output, as Zeek's DNP3 analyzer spells the function codes. */
public final class Dnp3Names {
    private static final String[] FUNCTIONS = {"CONFIRM", "READ", "WRITE", "SELECT", "OPERATE", "DIRECT_OPERATE",
        "DIRECT_OPERATE_NR", "IMMED_FREEZE", "IMMED_FREEZE_NR", "FREEZE_CLEAR", "FREEZE_CLEAR_NR", "FREEZE_AT_TIME",
        "FREEZE_AT_TIME_NR", "COLD_RESTART", "WARM_RESTART", "INITIALIZE_DATA", "INITIALIZE_APPL", "START_APPL",
        "STOP_APPL", "SAVE_CONFIG", "ENABLE_UNSOLICITED", "DISABLE_UNSOLICITED", "ASSIGN_CLASS", "DELAY_MEASURE",
        "RECORD_CURRENT_TIME", "OPEN_FILE", "CLOSE_FILE", "DELETE_FILE", "GET_FILE_INFO", "AUTHENTICATE_FILE",
        "ABORT_FILE", "ACTIVATE_CONFIG", "AUTHENTICATE_REQ", "AUTHENTICATE_ERR"};
    private static final String[] PRIMARY = {"RESET_LINK_STATES", "RESET_USER_PROCESS", "TEST_LINK_STATES",
        "CONFIRMED_USER_DATA", "UNCONFIRMED_USER_DATA", null, null, null, null, "REQUEST_LINK_STATUS"};
    private static final String[] SECONDARY = {"ACK", "NACK", null, null, null, null, null, null, null, null, null,
        "LINK_STATUS", null, null, "NOT_FUNCTIONING", "NOT_SUPPORTED"};
    /** IIN bits from 0x8000 down, as Suricata names them. */
    private static final String[] IIN = {"device_restart", "device_trouble", "local_control", "need_time",
        "class_3_events", "class_2_events", "class_1_events", "all_stations", "reserved_1", "reserved_2",
        "config_corrupt", "already_executing", "event_buffer_overflow", "parameter_error", "object_unknown",
        "no_func_code_support"};

    private Dnp3Names() {
    }

    /** Application function name; "UNKNOWN_&lt;code&gt;" for codes the standard does not define. */
    public static String function(int fc) {
        if (fc >= 0 && fc < FUNCTIONS.length) {
            return FUNCTIONS[fc];
        }
        switch (fc) {
            case 129: return "RESPONSE";
            case 130: return "UNSOLICITED_RESPONSE";
            case 131: return "AUTHENTICATE_RESP";
            default: return fc < 0 ? null : "UNKNOWN_" + fc;
        }
    }

    /** True for the application function codes IEEE 1815-2012 defines. */
    public static boolean isPublicFunction(int fc) {
        return (fc >= 0 && fc < FUNCTIONS.length) || (fc >= 129 && fc <= 131);
    }

    /** Link function name for a primary or secondary frame; "UNKNOWN_&lt;code&gt;" otherwise. */
    public static String linkFunction(boolean primary, int code) {
        String[] names = primary ? PRIMARY : SECONDARY;
        String n = code >= 0 && code < names.length ? names[code] : null;
        return n != null ? n : code < 0 ? null : "UNKNOWN_" + code;
    }

    /** Name of IIN bit {@code mask} (one of 0x0001..0x8000). */
    public static String iinFlag(int mask) {
        return IIN[15 - Integer.numberOfTrailingZeros(mask)];
    }
}
