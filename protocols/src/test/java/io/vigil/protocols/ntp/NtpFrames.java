package io.vigil.protocols.ntp;

import io.vigil.protocols.testsupport.Tshark;

/** Test datagrams: two from zeek_ntp.pcap and hand-built control/private queries. */
final class NtpFrames {
    /** v4 client, stratum 2 (zeek_ntp.pcap frame 1). */
    static final String CLIENT = "230206ea00000bd90000063055c7d663e09ab55c12dcc914e09ab5540c60c23be09ab55413a64a3b"
            + "e09ab59607050baa";
    /** v4 server, stratum 4 (frame 2). */
    static final String SERVER = "240406e800000c810000124469edcf1ce09ab29cb8c778ebe09ab59607050baae09ab5960c625ccb"
            + "e09ab5960c64646b";
    /** ntpdc monlist: v2 mode 7, implementation XNTPD (3), request MON_GETLIST_1 (42), padded to 48 octets. */
    static final String MONLIST = "17000" + "32a" + "00000000" + "00".repeat(40);
    /** ntpq readvar: v2 mode 6, opcode 2, sequence 1, no data. */
    static final String READVAR = "16020001000000000000" + "0000";

    private NtpFrames() {
    }

    static byte[] bytes(String hex) {
        return Tshark.hex(hex);
    }

    static byte[][] samples() {
        return new byte[][] {bytes(CLIENT), bytes(SERVER), bytes(MONLIST), bytes(READVAR)};
    }
}
