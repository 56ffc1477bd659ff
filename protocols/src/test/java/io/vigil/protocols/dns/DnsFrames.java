package io.vigil.protocols.dns;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** Builds DNS messages byte by byte for tests, and the sample set the robustness tests mutate. */
final class DnsFrames {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static DnsFrames header(int id, int flags, int qd, int an, int ns, int ar) {
        return new DnsFrames().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    int pos() {
        return out.size();
    }

    DnsFrames u8(int... v) {
        for (int x : v) {
            out.write(x);
        }
        return this;
    }

    DnsFrames u16(int v) {
        return u8(v >>> 8 & 0xFF, v & 0xFF);
    }

    DnsFrames u32(long v) {
        return u16((int) (v >>> 16) & 0xFFFF).u16((int) v & 0xFFFF);
    }

    /** Labels of a dotted name, then the root ("" is the root alone). */
    DnsFrames name(String dotted) {
        labels(dotted);
        return u8(0);
    }

    /** Labels only, to be followed by {@link #ptr}. */
    DnsFrames labels(String dotted) {
        if (!dotted.isEmpty()) {
            for (String l : dotted.split("\\.")) {
                u8(l.length());
                for (char c : l.toCharArray()) {
                    out.write(c);
                }
            }
        }
        return this;
    }

    DnsFrames ptr(int offset) {
        return u16(0xC000 | offset);
    }

    DnsFrames question(String name, int type, int cls) {
        return name(name).u16(type).u16(cls);
    }

    /** Type, class, TTL and RDLENGTH after an owner name already written. */
    DnsFrames rr(int type, int cls, long ttl, int rdlength) {
        return u16(type).u16(cls).u32(ttl).u16(rdlength);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    // ------------------------------------------------------------ samples

    static byte[] queryA() {
        return header(0x1234, 0x0100, 1, 0, 0, 0).question("www.Example.COM", 1, 1).bytes();
    }

    /** www.example.com CNAME web.example.com CNAME cdn.example.net, A x2, all names compressed. */
    static byte[] cnameChain() {
        DnsFrames f = header(0xBEEF, 0x8180, 1, 4, 0, 0).question("www.example.com", 1, 1);
        int cdn;
        f.ptr(12).rr(5, 1, 300, 6).labels("web").ptr(16);
        int web = f.pos() - 6;
        f.ptr(web).rr(5, 1, 60, 17);
        cdn = f.pos();
        f.name("cdn.example.net");
        f.ptr(cdn).rr(1, 1, 20, 4).u8(192, 0, 2, 1);
        f.ptr(cdn).rr(1, 1, 20, 4).u8(192, 0, 2, 2);
        return f.bytes();
    }

    static byte[] aaaa() {
        return header(7, 0x8180, 1, 1, 0, 0).question("v6.example", 28, 1).ptr(12).rr(28, 1, 0xFFFFFFFFL, 16)
                .u8(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1).bytes();
    }

    static byte[] ptrResponse() {
        DnsFrames f = header(8, 0x8580, 1, 1, 0, 0).question("1.1.168.192.in-addr.arpa", 12, 1);
        return f.ptr(12).rr(12, 1, 3600, 10).name("host.lan").bytes();
    }

    static byte[] txt() {
        return header(9, 0x8180, 1, 1, 0, 0).question("t.example", 16, 1).ptr(12).rr(16, 1, 5, 9)
                .u8(3, 'a', 'b', 'c').u8(4, 'd', 'e', 'f', 'g').bytes();
    }

    static byte[] mx() {
        DnsFrames f = header(10, 0x8180, 1, 1, 0, 0).question("example.org", 15, 1);
        return f.ptr(12).rr(15, 1, 3600, 9).u16(10).labels("mail").ptr(12).bytes();
    }

    static byte[] nxdomain() {
        DnsFrames f = header(11, 0x8183, 1, 0, 1, 0).question("nope.example", 1, 1);
        // SOA in authority: mname, rname, five 32-bit values.
        return f.ptr(17).rr(6, 1, 900, 2 + 2 + 20).ptr(17).ptr(17).u32(1).u32(2).u32(3).u32(4).u32(5).bytes();
    }

    static byte[] edns() {
        return header(12, 0x0120, 1, 0, 0, 1).question("dnssec.example", 48, 1).u8(0).rr(41, 4096, 0x0100_8000L, 0)
                .bytes();
    }

    static byte[] mdnsQuery() {
        return header(0, 0, 2, 0, 0, 0).question("_ipp._tcp.local", 12, 0x8001).labels("_ipps").ptr(17).u16(12)
                .u16(1).bytes();
    }

    static byte[] mdnsAnnouncement() {
        DnsFrames f = header(0, 0x8400, 0, 2, 0, 0);
        f.name("printer.local").rr(1, 0x8001, 120, 4).u8(10, 0, 0, 7);
        return f.ptr(12).rr(28, 0x8001, 120, 16).u8(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9).bytes();
    }

    static byte[] llmnr() {
        return header(0x4242, 0x0000, 1, 0, 0, 0).question("wpad", 1, 1).bytes();
    }

    static List<byte[]> samples() {
        return List.of(queryA(), cnameChain(), aaaa(), ptrResponse(), txt(), mx(), nxdomain(), edns(), mdnsQuery(),
                mdnsAnnouncement(), llmnr());
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
