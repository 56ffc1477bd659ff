package io.vigil.protocols.enip;

/** Names of encapsulation commands and CIP services for output; constant strings, no allocation. */
public final class EnipNames {
    private EnipNames() {
    }

    public static String command(int command) {
        switch (command) {
            case EnipMessage.NOP: return "nop";
            case EnipMessage.LIST_SERVICES: return "list_services";
            case EnipMessage.LIST_IDENTITY: return "list_identity";
            case EnipMessage.LIST_INTERFACES: return "list_interfaces";
            case EnipMessage.REGISTER_SESSION: return "register_session";
            case EnipMessage.UNREGISTER_SESSION: return "unregister_session";
            case EnipMessage.SEND_RR_DATA: return "send_rr_data";
            case EnipMessage.SEND_UNIT_DATA: return "send_unit_data";
            case EnipMessage.INDICATE_STATUS: return "indicate_status";
            case EnipMessage.CANCEL: return "cancel";
            default: return null;
        }
    }

    /**
     * Name of a CIP service (0x80 bit ignored) on a class (-1 unknown): the common services by code,
     * object-specific ones (0x4B and up) only where the class says what they are.
     */
    public static String service(int service, int cls) {
        int s = service & 0x7F;
        switch (s) {
            case EnipMessage.GET_ATTRIBUTES_ALL: return "get_attributes_all";
            case EnipMessage.SET_ATTRIBUTES_ALL: return "set_attributes_all";
            case EnipMessage.GET_ATTRIBUTE_LIST: return "get_attribute_list";
            case EnipMessage.SET_ATTRIBUTE_LIST: return "set_attribute_list";
            case EnipMessage.RESET: return "reset";
            case EnipMessage.START: return "start";
            case EnipMessage.STOP: return "stop";
            case EnipMessage.CREATE: return "create";
            case EnipMessage.DELETE: return "delete";
            case EnipMessage.MULTIPLE_SERVICE_PACKET: return "multiple_service_packet";
            case EnipMessage.APPLY_ATTRIBUTES: return "apply_attributes";
            case EnipMessage.GET_ATTRIBUTE_SINGLE: return "get_attribute_single";
            case EnipMessage.SET_ATTRIBUTE_SINGLE: return "set_attribute_single";
            case EnipMessage.FIND_NEXT_OBJECT_INSTANCE: return "find_next_object_instance";
            case EnipMessage.RESTORE: return "restore";
            case EnipMessage.SAVE: return "save";
            case EnipMessage.GET_MEMBER: return "get_member";
            case EnipMessage.SET_MEMBER: return "set_member";
            default: break;
        }
        if (cls == EnipMessage.CLASS_CONNECTION_MANAGER) {
            switch (s) {
                case EnipMessage.FORWARD_CLOSE: return "forward_close";
                case EnipMessage.UNCONNECTED_SEND: return "unconnected_send";
                case EnipMessage.FORWARD_OPEN: return "forward_open";
                case EnipMessage.LARGE_FORWARD_OPEN: return "large_forward_open";
                default: return null;
            }
        }
        if (cls == 0x6B || cls < 0) {
            switch (s) {
                case EnipMessage.READ_TAG: return "read_tag";
                case EnipMessage.WRITE_TAG: return "write_tag";
                case EnipMessage.READ_MODIFY_WRITE_TAG: return "read_modify_write_tag";
                case EnipMessage.READ_TAG_FRAGMENTED: return "read_tag_fragmented";
                case EnipMessage.WRITE_TAG_FRAGMENTED: return "write_tag_fragmented";
                default: return null;
            }
        }
        return null;
    }
}
