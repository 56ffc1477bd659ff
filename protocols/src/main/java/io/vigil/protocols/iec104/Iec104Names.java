package io.vigil.protocols.iec104;

/**
 * Names and fixed element sizes of IEC 60870-5-101/104 ASDU type identifications, causes of
 * transmission and U-format functions. Type ids without a standard assignment have no name; the
 * parser flags them and does not walk their objects.
 */
public final class Iec104Names {
    /** Element size for type ids whose objects have no fixed size (security, file segments). */
    public static final int VARIABLE = -1;
    /** Element size for type ids the standards leave unassigned. */
    public static final int UNASSIGNED = -2;

    public static final int M_SP_NA_1 = 1;
    public static final int M_ME_NC_1 = 13;
    public static final int C_SC_NA_1 = 45;
    public static final int C_SE_NC_1 = 50;
    public static final int M_EI_NA_1 = 70;
    public static final int C_IC_NA_1 = 100;
    public static final int C_CI_NA_1 = 101;
    public static final int C_RD_NA_1 = 102;
    public static final int C_CS_NA_1 = 103;
    public static final int C_TS_NA_1 = 104;
    public static final int C_RP_NA_1 = 105;
    public static final int C_CD_NA_1 = 106;
    public static final int C_TS_TA_1 = 107;
    public static final int F_SG_NA_1 = 125;

    private static final String[] TYPE = new String[128];
    /** Bytes of one information element after its IOA, or VARIABLE / UNASSIGNED. */
    private static final int[] SIZE = new int[128];

    private static final String[] COT = new String[64];

    static {
        java.util.Arrays.fill(SIZE, UNASSIGNED);
        // monitor direction, process information
        type(1, "M_SP_NA_1", 1);
        type(2, "M_SP_TA_1", 4);
        type(3, "M_DP_NA_1", 1);
        type(4, "M_DP_TA_1", 4);
        type(5, "M_ST_NA_1", 2);
        type(6, "M_ST_TA_1", 5);
        type(7, "M_BO_NA_1", 5);
        type(8, "M_BO_TA_1", 8);
        type(9, "M_ME_NA_1", 3);
        type(10, "M_ME_TA_1", 6);
        type(11, "M_ME_NB_1", 3);
        type(12, "M_ME_TB_1", 6);
        type(13, "M_ME_NC_1", 5);
        type(14, "M_ME_TC_1", 8);
        type(15, "M_IT_NA_1", 5);
        type(16, "M_IT_TA_1", 8);
        type(17, "M_EP_TA_1", 6);
        type(18, "M_EP_TB_1", 7);
        type(19, "M_EP_TC_1", 7);
        type(20, "M_PS_NA_1", 5);
        type(21, "M_ME_ND_1", 2);
        type(30, "M_SP_TB_1", 8);
        type(31, "M_DP_TB_1", 8);
        type(32, "M_ST_TB_1", 9);
        type(33, "M_BO_TB_1", 12);
        type(34, "M_ME_TD_1", 10);
        type(35, "M_ME_TE_1", 10);
        type(36, "M_ME_TF_1", 12);
        type(37, "M_IT_TB_1", 12);
        type(38, "M_EP_TD_1", 10);
        type(39, "M_EP_TE_1", 11);
        type(40, "M_EP_TF_1", 11);
        type(41, "S_IT_TC_1", VARIABLE); // IEC 62351-5 security statistics
        // control direction, process information
        type(45, "C_SC_NA_1", 1);
        type(46, "C_DC_NA_1", 1);
        type(47, "C_RC_NA_1", 1);
        type(48, "C_SE_NA_1", 3);
        type(49, "C_SE_NB_1", 3);
        type(50, "C_SE_NC_1", 5);
        type(51, "C_BO_NA_1", 4);
        type(58, "C_SC_TA_1", 8);
        type(59, "C_DC_TA_1", 8);
        type(60, "C_RC_TA_1", 8);
        type(61, "C_SE_TA_1", 10);
        type(62, "C_SE_TB_1", 10);
        type(63, "C_SE_TC_1", 12);
        type(64, "C_BO_TA_1", 11);
        // system information
        type(70, "M_EI_NA_1", 1);
        // IEC 62351-5 / 60870-5-7 secure authentication: variable-length objects
        String[] security = {"S_CH_NA_1", "S_RP_NA_1", "S_AR_NA_1", "S_KR_NA_1", "S_KS_NA_1", "S_KC_NA_1",
            "S_ER_NA_1"};
        for (int i = 0; i < security.length; i++) {
            type(81 + i, security[i], VARIABLE);
        }
        String[] userKeys = {"S_US_NA_1", "S_UQ_NA_1", "S_UR_NA_1", "S_UK_NA_1", "S_UA_NA_1", "S_UC_NA_1"};
        for (int i = 0; i < userKeys.length; i++) {
            type(90 + i, userKeys[i], VARIABLE);
        }
        type(100, "C_IC_NA_1", 1);
        type(101, "C_CI_NA_1", 1);
        type(102, "C_RD_NA_1", 0);
        type(103, "C_CS_NA_1", 7);
        type(104, "C_TS_NA_1", 2);
        type(105, "C_RP_NA_1", 1);
        type(106, "C_CD_NA_1", 2);
        type(107, "C_TS_TA_1", 9);
        // parameters
        type(110, "P_ME_NA_1", 3);
        type(111, "P_ME_NB_1", 3);
        type(112, "P_ME_NC_1", 5);
        type(113, "P_AC_NA_1", 1);
        // file transfer
        type(120, "F_FR_NA_1", 6);
        type(121, "F_SR_NA_1", 7);
        type(122, "F_SC_NA_1", 4);
        type(123, "F_LS_NA_1", 5);
        type(124, "F_AF_NA_1", 4);
        type(125, "F_SG_NA_1", VARIABLE); // NOF, NOS, LOS, then LOS bytes of segment
        type(126, "F_DR_TA_1", 13);
        type(127, "F_SC_NB_1", 16);

        String[] cot = {null, "per/cyc", "back", "spont", "init", "req", "act", "actcon", "deact", "deactcon",
            "actterm", "retrem", "retloc", "file"};
        System.arraycopy(cot, 0, COT, 0, cot.length);
        COT[20] = "inrogen";
        for (int i = 1; i <= 16; i++) {
            COT[20 + i] = "inro" + i;
        }
        COT[37] = "reqcogen";
        for (int i = 1; i <= 4; i++) {
            COT[37 + i] = "reqco" + i;
        }
        COT[44] = "unknown type";
        COT[45] = "unknown cause";
        COT[46] = "unknown common address";
        COT[47] = "unknown IOA";
    }

    private Iec104Names() {
    }

    private static void type(int id, String name, int size) {
        TYPE[id] = name;
        SIZE[id] = size;
    }

    /** "M_ME_NC_1" for 13; null for an unassigned type id. */
    public static String typeName(int typeId) {
        return typeId >= 0 && typeId < TYPE.length ? TYPE[typeId] : null;
    }

    /** Element bytes after the IOA, {@link #VARIABLE} or {@link #UNASSIGNED}. */
    public static int elementSize(int typeId) {
        return typeId >= 0 && typeId < SIZE.length ? SIZE[typeId] : UNASSIGNED;
    }

    public static boolean isAssigned(int typeId) {
        return elementSize(typeId) != UNASSIGNED;
    }

    /** Name of a 6-bit cause of transmission; null for unassigned causes. */
    public static String causeName(int cot) {
        return cot >= 0 && cot < COT.length ? COT[cot] : null;
    }

    /** Name of a U-format control byte (0x07 STARTDT act ... 0x83 TESTFR con); null if not one of the six. */
    public static String uFunctionName(int control) {
        switch (control) {
            case 0x07: return "STARTDT_ACT";
            case 0x0B: return "STARTDT_CON";
            case 0x13: return "STOPDT_ACT";
            case 0x23: return "STOPDT_CON";
            case 0x43: return "TESTFR_ACT";
            case 0x83: return "TESTFR_CON";
            default: return null;
        }
    }
}
