package io.vigil.protocols.enip;

import io.vigil.protocols.observe.IcsOp;

/**
 * Reduces an ENIP/CIP message to the shared {@link IcsOp}: which CIP service on which object, in
 * which kind. CIP names its operations by service and object class together (0x4C is Read Tag on
 * the Symbol object but something else on a vendor object), so the kind comes from both:
 * <ul>
 * <li>READ: Get_Attributes_All/List/Single, Get_Member, Find_Next_Object_Instance, Read Tag
 *     (plain and fragmented) on a symbolic path or the Symbol object (0x6B);</li>
 * <li>WRITE: Set_Attributes_All/List/Single, Set_Member, Apply_Attributes, Restore, Save, Write
 *     Tag (plain, fragmented, read-modify-write);</li>
 * <li>CONTROL: Reset, Start, Stop, and set-attribute services on the Identity object (0x01) and
 *     the Logix controller-mode object (0x8E);</li>
 * <li>TIME: set-attribute services on the Time Sync (0x43) and Logix wall-clock (0x8B) objects;</li>
 * <li>PROGRAM: Create, Delete, and object-specific services of the File object (0x37: upload,
 *     download, clear);</li>
 * <li>SESSION: RegisterSession, UnRegisterSession, Forward Open, Large Forward Open, Forward Close;</li>
 * <li>DIAGNOSTIC: ListIdentity, ListServices, ListInterfaces (Get_Attribute on Identity stays READ);</li>
 * <li>a Multiple Service Packet takes the weightiest kind of its services (control, program, time,
 *     write, session, diagnostic, read); everything else is OTHER.</li>
 * </ul>
 * Responses carry the kind of the request they answer (by its path when matched).
 */
public final class EnipOps {
    /** Weight of each kind when several services share a packet; index = IcsOp kind. */
    private static final int[] WEIGHT = new int[9];

    static {
        WEIGHT[IcsOp.KIND_OTHER] = 0;
        WEIGHT[IcsOp.KIND_READ] = 1;
        WEIGHT[IcsOp.KIND_DIAGNOSTIC] = 2;
        WEIGHT[IcsOp.KIND_SESSION] = 3;
        WEIGHT[IcsOp.KIND_REPORT] = 0;
        WEIGHT[IcsOp.KIND_WRITE] = 4;
        WEIGHT[IcsOp.KIND_TIME] = 5;
        WEIGHT[IcsOp.KIND_PROGRAM] = 6;
        WEIGHT[IcsOp.KIND_CONTROL] = 7;
    }

    private EnipOps() {
    }

    /** Fills {@code op} from an encapsulation message (implicit I/O has no operation to report). */
    public static void fill(IcsOp op, EnipMessage m) {
        op.clear();
        op.unit = m.session < 0 ? 0 : m.session;
        op.peerUnit = m.connectionId < 0 ? 0 : m.connectionId;
        op.malformed = m.malformed;
        if (!m.hasCip) {
            op.function = 0x10000 | Math.max(m.command, 0);
            op.isResponse = !m.fromClient;
            op.status = (int) Math.max(m.status, 0);
            op.isError = m.status > 0;
            op.kind = commandKind(m.command);
            if (m.productNameLength > 0) {
                op.name(m.buffer, m.productNameOffset, m.productNameLength);
            }
            return;
        }
        int service = m.effectiveService();
        op.function = service;
        op.subFunction = m.hasEmbedded && !m.isResponse ? m.service : 0;
        op.isResponse = m.isResponse;
        op.status = m.isResponse ? Math.max(m.generalStatus, 0) : (int) Math.max(m.status, 0);
        op.isError = op.status != 0 || m.status > 0;
        op.objectClass = m.effectiveClass();
        op.instance = m.effectiveInstance();
        op.attribute = m.effectiveAttribute();
        op.sequence = Math.max(m.cipSequence, 0);
        op.name(m.tag, 0, m.tagLength);
        int s = service & 0x7F;
        if (s == EnipMessage.MULTIPLE_SERVICE_PACKET) {
            int kind = IcsOp.KIND_OTHER;
            int kept = Math.min(m.serviceCount, EnipMessage.MAX_SERVICES);
            for (int i = 0; i < kept; i++) {
                int cls = m.isResponse ? -1 : m.serviceClass[i];
                op.addObject((m.services[i] << 16) | (cls & 0xFFFF));
                int k = kindOf(m.services[i] & 0x7F, cls, false);
                if (WEIGHT[k] > WEIGHT[kind]) {
                    kind = k;
                }
            }
            op.objectCount = m.serviceCount;
            op.count = m.serviceCount;
            op.kind = kind;
        } else {
            op.kind = kindOf(s, op.objectClass, m.tagLength > 0);
            op.count = m.elementCount >= 0 ? m.elementCount : m.attributeCount;
        }
        for (int i = 0; i < m.valueCount; i++) {
            op.addValue(m.values[i]);
        }
    }

    static int commandKind(int command) {
        switch (command) {
            case EnipMessage.LIST_IDENTITY:
            case EnipMessage.LIST_SERVICES:
            case EnipMessage.LIST_INTERFACES:
                return IcsOp.KIND_DIAGNOSTIC;
            case EnipMessage.REGISTER_SESSION:
            case EnipMessage.UNREGISTER_SESSION:
                return IcsOp.KIND_SESSION;
            default:
                return IcsOp.KIND_OTHER;
        }
    }

    /** Kind of a request service (0x80 bit cleared) on a class (-1 unknown); {@code symbolic}: the path names a tag. */
    public static int kindOf(int service, int cls, boolean symbolic) {
        switch (service) {
            case EnipMessage.GET_ATTRIBUTES_ALL:
            case EnipMessage.GET_ATTRIBUTE_LIST:
            case EnipMessage.GET_ATTRIBUTE_SINGLE:
            case EnipMessage.GET_MEMBER:
            case EnipMessage.FIND_NEXT_OBJECT_INSTANCE:
                return IcsOp.KIND_READ;
            case EnipMessage.SET_ATTRIBUTES_ALL:
            case EnipMessage.SET_ATTRIBUTE_LIST:
            case EnipMessage.SET_ATTRIBUTE_SINGLE:
            case EnipMessage.SET_MEMBER:
            case EnipMessage.APPLY_ATTRIBUTES:
            case EnipMessage.RESTORE:
            case EnipMessage.SAVE:
                if (cls == EnipMessage.CLASS_IDENTITY || cls == 0x8E) {
                    return IcsOp.KIND_CONTROL;
                }
                if (cls == 0x43 || cls == 0x8B) {
                    return IcsOp.KIND_TIME;
                }
                return cls == 0x37 ? IcsOp.KIND_PROGRAM : IcsOp.KIND_WRITE;
            case EnipMessage.RESET:
            case EnipMessage.START:
            case EnipMessage.STOP:
                return IcsOp.KIND_CONTROL;
            case EnipMessage.CREATE:
            case EnipMessage.DELETE:
                return IcsOp.KIND_PROGRAM;
            default:
                break;
        }
        if (service < 0x4B) {
            return IcsOp.KIND_OTHER;
        }
        // object-specific services: meaning depends on the class
        if (cls == EnipMessage.CLASS_CONNECTION_MANAGER) {
            return service == EnipMessage.FORWARD_OPEN || service == EnipMessage.LARGE_FORWARD_OPEN
                || service == EnipMessage.FORWARD_CLOSE ? IcsOp.KIND_SESSION : IcsOp.KIND_OTHER;
        }
        if (cls == 0x37) {
            return IcsOp.KIND_PROGRAM;
        }
        if (symbolic || cls == 0x6B) {
            switch (service) {
                case EnipMessage.READ_TAG:
                case EnipMessage.READ_TAG_FRAGMENTED:
                    return IcsOp.KIND_READ;
                case EnipMessage.WRITE_TAG:
                case EnipMessage.WRITE_TAG_FRAGMENTED:
                case EnipMessage.READ_MODIFY_WRITE_TAG:
                    return IcsOp.KIND_WRITE;
                default:
                    break;
            }
        }
        return IcsOp.KIND_OTHER;
    }
}
