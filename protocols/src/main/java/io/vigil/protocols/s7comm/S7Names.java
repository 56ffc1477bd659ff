package io.vigil.protocols.s7comm;

/** Names of S7comm / COTP / S7comm-plus codes for output, as Wireshark and the ICSNPP Zeek plugin spell them. */
public final class S7Names {
    private S7Names() {
    }

    public static String cotpType(int type) {
        switch (type) {
            case S7Message.COTP_CR: return "CR";
            case S7Message.COTP_CC: return "CC";
            case S7Message.COTP_DR: return "DR";
            case S7Message.COTP_DC: return "DC";
            case S7Message.COTP_DT: return "DT";
            case S7Message.COTP_ED: return "ED";
            case S7Message.COTP_EA: return "EA";
            case S7Message.COTP_RJ: return "RJ";
            case S7Message.COTP_AK: return "AK";
            case S7Message.COTP_ER: return "ER";
            default: return null;
        }
    }

    public static String rosctr(int rosctr) {
        switch (rosctr) {
            case S7Message.JOB: return "job";
            case S7Message.ACK: return "ack";
            case S7Message.ACK_DATA: return "ack_data";
            case S7Message.USERDATA: return "userdata";
            default: return null;
        }
    }

    public static String function(int f) {
        switch (f) {
            case 0x00: return "cpu_services";
            case 0xF0: return "setup_communication";
            case 0x04: return "read_var";
            case 0x05: return "write_var";
            case 0x1A: return "request_download";
            case 0x1B: return "download_block";
            case 0x1C: return "download_ended";
            case 0x1D: return "start_upload";
            case 0x1E: return "upload";
            case 0x1F: return "end_upload";
            case 0x28: return "pi_service";
            case 0x29: return "plc_stop";
            default: return null;
        }
    }

    public static String userdataGroup(int g) {
        switch (g) {
            case 0: return "mode_transition";
            case 1: return "programmer_commands";
            case 2: return "cyclic_data";
            case 3: return "block_functions";
            case 4: return "cpu_functions";
            case 5: return "security";
            case 6: return "pbc";
            case 7: return "time_functions";
            case 0xF: return "nc_programming";
            default: return null;
        }
    }

    /** Subfunction names of the groups a detector cares about; null where unknown. */
    public static String userdataSubfunction(int g, int s) {
        switch (g) {
            case 1:
                switch (s) {
                    case 0x01: return "request_diag_data";
                    case 0x02: return "vartab";
                    case 0x0C: return "erase";
                    case 0x0E: return "read_diag_data";
                    case 0x0F: return "remove_diag_data";
                    case 0x10: return "forces";
                    case 0x13: return "request_diag_data_2";
                    default: return null;
                }
            case 2:
                switch (s) {
                    case 0x01: return "memory";
                    case 0x04: return "unsubscribe";
                    case 0x05: return "memory2";
                    default: return null;
                }
            case 3:
                switch (s) {
                    case 0x01: return "list_blocks";
                    case 0x02: return "list_blocks_of_type";
                    case 0x03: return "get_block_info";
                    default: return null;
                }
            case 4:
                switch (s) {
                    case 0x01: return "read_szl";
                    case 0x02: return "message_service";
                    case 0x03: return "diagnostic_message";
                    case 0x05: return "alarm8_indication";
                    case 0x06: return "notify_indication";
                    case 0x07: return "alarm8_lock";
                    case 0x08: return "alarm8_unlock";
                    case 0x0B: return "alarm_ack";
                    case 0x0C: return "alarm_ack_indication";
                    case 0x0D: return "alarm_lock_indication";
                    case 0x0E: return "alarm_unlock_indication";
                    case 0x11: return "alarm_sq_indication";
                    case 0x12: return "alarm_s_indication";
                    case 0x13: return "alarm_query";
                    case 0x16: return "notify8_indication";
                    default: return null;
                }
            case 5:
                switch (s) {
                    case 0x01: return "plc_password";
                    case 0x02: return "clean_session";
                    default: return null;
                }
            case 7:
                switch (s) {
                    case 0x01: return "read_clock";
                    case 0x02: return "set_clock";
                    case 0x03: return "read_clock_following";
                    case 0x04: return "set_clock_2";
                    default: return null;
                }
            default:
                return null;
        }
    }

    public static String area(int a) {
        switch (a) {
            case 0x03: return "system_info_200";
            case 0x05: return "system_flags_200";
            case 0x06: return "analog_inputs_200";
            case 0x07: return "analog_outputs_200";
            case 0x1C: return "counters";
            case 0x1D: return "timers";
            case 0x1E: return "iec_counters";
            case 0x1F: return "iec_timers";
            case 0x80: return "direct_peripheral";
            case 0x81: return "inputs";
            case 0x82: return "outputs";
            case 0x83: return "flags";
            case 0x84: return "db";
            case 0x85: return "di";
            case 0x86: return "local";
            case 0x87: return "previous_local";
            default: return null;
        }
    }

    /** Block type code of a file name ("0A") to its short name. */
    public static String blockType(int code) {
        switch (code) {
            case 0x08: return "OB";
            case 0x0A: return "DB";
            case 0x0B: return "SDB";
            case 0x0C: return "FC";
            case 0x0D: return "SFC";
            case 0x0E: return "FB";
            case 0x0F: return "SFB";
            default: return null;
        }
    }

    public static String plusOpcode(int op) {
        switch (op) {
            case 0x31: return "request";
            case 0x32: return "response";
            case 0x33: return "notification";
            case 0x02: return "response2";
            default: return null;
        }
    }

    public static String plusFunction(int f) {
        switch (f) {
            case 0x04BB: return "explore";
            case 0x04CA: return "create_object";
            case 0x04D4: return "delete_object";
            case 0x04F2: return "set_variable";
            case 0x0524: return "get_link";
            case 0x0542: return "set_multi_variables";
            case 0x054C: return "get_multi_variables";
            case 0x0556: return "begin_sequence";
            case 0x0560: return "end_sequence";
            case 0x056B: return "invoke";
            case 0x0586: return "get_var_sub_streamed";
            default: return null;
        }
    }
}
