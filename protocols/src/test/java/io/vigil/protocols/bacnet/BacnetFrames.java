package io.vigil.protocols.bacnet;

import java.util.LinkedHashMap;
import java.util.Map;

/** Hand-encoded BACnet/IP datagrams (ASHRAE 135 clauses 6, 20, 21 and Annex J) shared by the tests and fuzzing. */
final class BacnetFrames {
    private BacnetFrames() {
    }

    static byte[] hex(String s) {
        s = s.replaceAll("\\s+", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** BVLC header with function {@code fn} and the real length around {@code body}. */
    static byte[] bvlc(int fn, String body) {
        byte[] b = hex(body);
        byte[] f = new byte[b.length + 4];
        f[0] = (byte) 0x81;
        f[1] = (byte) fn;
        f[2] = (byte) (f.length >>> 8);
        f[3] = (byte) f.length;
        System.arraycopy(b, 0, f, 4, b.length);
        return f;
    }

    /** Original-Unicast-NPDU, plain NPDU (version 1, control 0x04 expecting reply) around an APDU. */
    static byte[] unicast(String apdu) {
        return bvlc(0x0A, "0104" + apdu);
    }

    /** Original-Broadcast-NPDU, plain NPDU around an APDU. */
    static byte[] broadcast(String apdu) {
        return bvlc(0x0B, "0100" + apdu);
    }

    // The verified frames of the brief (WriteProperty's BVLC length corrected from 0x19 to the real 0x18).
    static final String WHO_IS = "810b000c0120ffff00ff1008";
    static final String I_AM = "810b00180120ffff00ff1000c4020000012205c491002103";
    static final String READ_PROPERTY = "810a001101040005010c0c000000011955";
    static final String WRITE_PROPERTY = "810a001801040005020f0c0080000119553e4442c800003f";
    static final String SIMPLE_ACK = "810a0009010020020f";

    static final String RP_ACK_REAL = "30010c0c00000001195" + "53e44429100003f";
    static final String RPM = "0005040e" + "0c00000001" + "1e0955094d1f" + "0c02000008" + "1e094c19001f";
    static final String RPM_ACK = "30050e" + "0c00000001" + "1e" + "29554e44429100004f" + "294d4e75050041492d314f"
            + "291c5e910291205f" + "1f";
    static final String WPM = "00050510" + "0c00800001" + "1e" + "09552e4442c800002f390a" + "1f";
    static final String COV_BODY = "09121c020000082c00000001393c" + "4e" + "09552e44429100002f" + "096f2e8204002f"
            + "4f";

    /** Every sample datagram, by name: the seeds of the truncation and mutation tests and of the benchmark. */
    static Map<String, byte[]> samples() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("who-is", hex(WHO_IS));
        m.put("i-am", hex(I_AM));
        m.put("read-property", hex(READ_PROPERTY));
        m.put("write-property", hex(WRITE_PROPERTY));
        m.put("simple-ack", hex(SIMPLE_ACK));
        m.put("rp-ack-real", unicast(RP_ACK_REAL));
        m.put("rpm", unicast(RPM));
        m.put("rpm-ack", unicast(RPM_ACK));
        m.put("wpm", unicast(WPM));
        m.put("who-is-range", broadcast("100809031b3fffff"));
        m.put("who-has-name", broadcast("10073d050041492d31"));
        m.put("who-has-object", broadcast("10070900196 42c00000001".replace(" ", "")));
        m.put("i-have", broadcast("1001c402000008c40000000175050041492d31"));
        m.put("reinitialize", unicast("00050614" + "0901" + "1d0900" + "70617373776f7264"));
        m.put("dcc", unicast("00050711" + "0905" + "1901" + "2c00616263"));
        m.put("subscribe-cov", unicast("00050805" + "09121c00000001" + "2901393c"));
        m.put("cov-confirmed", unicast("00050901" + COV_BODY));
        m.put("cov-unconfirmed", broadcast("1002" + COV_BODY));
        m.put("read-file", unicast("00050a06" + "c402800001" + "0e3100" + "21800f"));
        m.put("read-file-record", unicast("00050a06" + "c402800001" + "1e3105" + "21021f"));
        m.put("read-file-ack", unicast("300a06" + "11" + "0e3100" + "64010203040f"));
        m.put("write-file", unicast("00050b07" + "c402800001" + "0e3100" + "64010203040f"));
        m.put("write-file-record", unicast("00050b07" + "c402800001" + "1e3107" + "2102" + "6201026303040" + "51f"));
        m.put("write-file-ack", unicast("300b07" + "0900"));
        m.put("time-sync", broadcast("1006" + "a47c050f03" + "b40c1e0000"));
        m.put("utc-time-sync", broadcast("1009" + "a47c050f03" + "b40c1e0000"));
        m.put("error", unicast("50070c" + "9102" + "9120"));
        m.put("error-wpm", unicast("500810" + "0e" + "91029125" + "0f" + "1e0c00800001" + "19551f"));
        m.put("reject", unicast("600704"));
        m.put("abort", unicast("710705"));
        m.put("segment-ack", unicast("43070304"));
        m.put("segmented-first", unicast("3c0700040c" + "0c02000008194c" + "3ec400000001c4"));
        m.put("segmented-next", unicast("380701040c" + "c400400001c4004000023f"));
        m.put("network-message", bvlc(0x0B, "018000"));
        m.put("network-proprietary", bvlc(0x0A, "0180800104"));
        m.put("routed", bvlc(0x0A, "0128" + "0005020607" + "000806010203040506" + "ff" + "1008"));
        m.put("forwarded", bvlc(0x04, "c0a80001bac0" + "0100" + "1008"));
        m.put("distribute", bvlc(0x09, "0100" + "1008"));
        m.put("register-fd", bvlc(0x05, "003c"));
        m.put("bvlc-result", bvlc(0x00, "0030"));
        m.put("read-bdt", bvlc(0x02, ""));
        m.put("read-fdt-ack", bvlc(0x07, "c0a80002bac0003c0020"));
        m.put("write-bdt", bvlc(0x01, "c0a80002bac0ffffff00" + "c0a80102bac0ffffff00"));
        m.put("delete-fdt", bvlc(0x08, "c0a80002bac0"));
        m.put("secure-bvll", bvlc(0x0C, "0000"));
        return m;
    }
}
