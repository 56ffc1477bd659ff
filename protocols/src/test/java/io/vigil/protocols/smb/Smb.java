package io.vigil.protocols.smb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds SMB messages byte by byte from MS-SMB2/MS-CIFS/MS-NLMP layouts, for the parser tests. */
final class Smb {
    private Smb() {
    }

    /** Little-endian writer. */
    static final class W {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        W u8(int v) {
            out.write(v);
            return this;
        }

        W u16(int v) {
            return u8(v & 0xFF).u8(v >>> 8 & 0xFF);
        }

        W u32(long v) {
            return u16((int) (v & 0xFFFF)).u16((int) (v >>> 16 & 0xFFFF));
        }

        W u64(long v) {
            return u32(v & 0xFFFFFFFFL).u32(v >>> 32);
        }

        W bytes(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        W zeros(int n) {
            return bytes(new byte[n]);
        }

        int size() {
            return out.size();
        }

        byte[] get() {
            return out.toByteArray();
        }
    }

    static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    static byte[] concat(byte[]... parts) {
        W w = new W();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.get();
    }

    /** Direct-hosting / NetBIOS session message: type 0, 24-bit length. */
    static byte[] nbss(byte[] payload) {
        return concat(new byte[] {0, (byte) (payload.length >> 16), (byte) (payload.length >> 8),
            (byte) payload.length}, payload);
    }

    /** A 64-byte SMB2 sync header. */
    static W header(int command, boolean response, long messageId, long treeId, long sessionId, long status,
                    int flags, long next) {
        return new W().u8(0xFE).u8('S').u8('M').u8('B').u16(64).u16(1).u32(status).u16(command).u16(31)
            .u32(flags | (response ? 1 : 0)).u32(next).u64(messageId).u32(0xFEFF).u32(treeId).u64(sessionId)
            .zeros(16);
    }

    static byte[] request(int command, long messageId, long treeId, byte[] body) {
        return header(command, false, messageId, treeId, 0x1122334455667788L, 0, 0, 0).bytes(body).get();
    }

    static byte[] response(int command, long messageId, long treeId, long status, byte[] body) {
        return header(command, true, messageId, treeId, 0x1122334455667788L, status, 0, 0).bytes(body).get();
    }

    /** NEGOTIATE request; with 0x0311 in the list, the given negotiate contexts follow, 8-byte aligned. */
    static byte[] negotiateRequest(int[] dialects, byte[]... contexts) {
        int bodyFixed = 36 + 2 * dialects.length;
        int ctxOffset = align8(64 + bodyFixed);
        W w = new W().u16(36).u16(dialects.length).u16(1).u16(0).u32(0x7F).zeros(16)
            .u32(contexts.length > 0 ? ctxOffset : 0).u16(contexts.length).u16(0);
        for (int d : dialects) {
            w.u16(d);
        }
        appendContexts(w, 64, contexts);
        return request(0, 0, 0, w.get());
    }

    static byte[] negotiateResponse(int dialect, byte[]... contexts) {
        W w = new W().u16(65).u16(1).u16(dialect).u16(contexts.length).zeros(16).u32(0x2F).u32(8 << 20)
            .u32(8 << 20).u32(8 << 20).u64(0).u64(0).u16(128).u16(0).u32(contexts.length > 0 ? 128 : 0);
        appendContexts(w, 64, contexts);
        return response(0, 0, 0, 0, w.get());
    }

    private static void appendContexts(W w, int headerLen, byte[][] contexts) {
        for (int i = 0; i < contexts.length; i++) {
            while ((headerLen + w.size()) % 8 != 0) {
                w.u8(0);
            }
            w.bytes(contexts[i]);
        }
    }

    private static int align8(int v) {
        return (v + 7) & ~7;
    }

    static byte[] context(int type, byte[] data) {
        return new W().u16(type).u16(data.length).u32(0).bytes(data).get();
    }

    static byte[] preauth(int... hashes) {
        W d = new W().u16(hashes.length).u16(4);
        for (int h : hashes) {
            d.u16(h);
        }
        d.u32(0xDEADBEEFL);
        return context(1, d.get());
    }

    static byte[] encryption(int... ciphers) {
        W d = new W().u16(ciphers.length);
        for (int c : ciphers) {
            d.u16(c);
        }
        return context(2, d.get());
    }

    static byte[] compressionCaps(int... algs) {
        W d = new W().u16(algs.length).u16(0).u32(0);
        for (int a : algs) {
            d.u16(a);
        }
        return context(3, d.get());
    }

    static byte[] signing(int... algs) {
        W d = new W().u16(algs.length);
        for (int a : algs) {
            d.u16(a);
        }
        return context(8, d.get());
    }

    /** NTLMSSP AUTHENTICATE with the three names (Unicode or OEM) after the fixed part. */
    static byte[] ntlmAuth(String domain, String user, String workstation, boolean unicode) {
        byte[] dn = unicode ? utf16(domain) : domain.getBytes(StandardCharsets.ISO_8859_1);
        byte[] un = unicode ? utf16(user) : user.getBytes(StandardCharsets.ISO_8859_1);
        byte[] wn = unicode ? utf16(workstation) : workstation.getBytes(StandardCharsets.ISO_8859_1);
        int base = 72;
        W w = new W().bytes("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII)).u32(3)
            .u16(0).u16(0).u32(base).u16(0).u16(0).u32(base)
            .u16(dn.length).u16(dn.length).u32(base)
            .u16(un.length).u16(un.length).u32(base + dn.length)
            .u16(wn.length).u16(wn.length).u32(base + dn.length + un.length)
            .u16(0).u16(0).u32(base)
            .u32(unicode ? 0xE2088215L : 0xE2088214L).zeros(8);
        return w.bytes(dn).bytes(un).bytes(wn).get();
    }

    /** SPNEGO-ish wrapper: some ASN.1 bytes before the NTLMSSP token, as a client sends it. */
    static byte[] spnego(byte[] token) {
        return concat(new byte[] {(byte) 0xA1, (byte) 0x82, 0x01, 0x00, 0x30, (byte) 0x82, 0x00, (byte) 0xFC,
            (byte) 0xA2, (byte) 0x82, 0x00, (byte) 0xF8, 0x04, (byte) 0x82, 0x00, (byte) 0xF4}, token);
    }

    static byte[] sessionSetupRequest(long messageId, byte[] securityBuffer) {
        W w = new W().u16(25).u8(0).u8(1).u32(1).u32(0).u16(64 + 24).u16(securityBuffer.length).u64(0)
            .bytes(securityBuffer);
        return request(1, messageId, 0, w.get());
    }

    static byte[] treeConnectRequest(long messageId, String path) {
        byte[] p = utf16(path);
        return request(3, messageId, 0, new W().u16(9).u16(0).u16(64 + 8).u16(p.length).bytes(p).get());
    }

    static byte[] treeConnectResponse(long messageId, long treeId, int shareType) {
        return response(3, messageId, treeId, 0, new W().u16(16).u8(shareType).u8(0).u32(0).u32(0).u32(0x1F01FF)
            .get());
    }

    static byte[] createRequest(long messageId, long treeId, String name) {
        byte[] n = utf16(name);
        W w = new W().u16(57).u8(0).u8(0).u32(2).u64(0).u64(0).u32(0x80).u32(0).u32(7).u32(1).u32(0x40)
            .u16(64 + 56).u16(n.length).u32(0).u32(0).bytes(n);
        return request(5, messageId, treeId, w.get());
    }

    static byte[] fileId(int n) {
        W w = new W().u64(0x1000 + n).u64(0xABCDEF00L + n);
        return w.get();
    }

    static byte[] createResponse(long messageId, long treeId, byte[] fileId) {
        W w = new W().u16(89).u8(0).u8(0).u32(1).zeros(32).u64(0).u64(0).u32(0x80).u32(0).bytes(fileId).u32(0)
            .u32(0);
        return response(5, messageId, treeId, 0, w.get());
    }

    static byte[] readRequest(long messageId, long treeId, byte[] fileId, int length, long offset) {
        W w = new W().u16(49).u8(0x50).u8(0).u32(length).u64(offset).bytes(fileId).u32(1).u32(0).u32(0).u16(0)
            .u16(0).u8(0);
        return request(8, messageId, treeId, w.get());
    }

    static byte[] writeRequest(long messageId, long treeId, byte[] fileId, byte[] data, long offset) {
        W w = new W().u16(49).u16(64 + 48).u32(data.length).u64(offset).bytes(fileId).u32(0).u32(0).u16(0).u16(0)
            .u32(0).bytes(data);
        return request(9, messageId, treeId, w.get());
    }

    static byte[] ioctlRequest(long messageId, long treeId, long ctlCode, byte[] fileId) {
        W w = new W().u16(57).u16(0).u32(ctlCode).bytes(fileId).u32(0).u32(0).u32(0).u32(0).u32(0).u32(4096)
            .u32(1).u32(0);
        return request(11, messageId, treeId, w.get());
    }

    static byte[] closeRequest(long messageId, long treeId, byte[] fileId) {
        return request(6, messageId, treeId, new W().u16(24).u16(0).u32(0).bytes(fileId).get());
    }

    /** SMB3 transform header around opaque ciphertext. */
    static byte[] transform(long sessionId, int originalSize, byte[] ciphertext) {
        return new W().u8(0xFD).u8('S').u8('M').u8('B').zeros(16).bytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
            11, 0, 0, 0, 0, 0}).u32(originalSize).u16(0).u16(1).u64(sessionId).bytes(ciphertext).get();
    }

    /** Unchained compression transform: Offset bytes of uncompressed data, then the compressed segment. */
    static byte[] compressed(long originalSize, int algorithm, long offset, byte[] uncompressed, byte[] comp) {
        return new W().u8(0xFC).u8('S').u8('M').u8('B').u32(originalSize).u16(algorithm).u16(0).u32(offset)
            .bytes(uncompressed).bytes(comp).get();
    }

    // ---------------------------------------------------------------- SMB1

    /** 32-byte SMB1 header. */
    static W smb1Header(int command, boolean response, int flags2, long status, int tid, int uid, int mid) {
        return new W().u8(0xFF).u8('S').u8('M').u8('B').u8(command).u32(status).u8(response ? 0x98 : 0x18)
            .u16(flags2).u16(0).zeros(8).u16(0).u16(tid).u16(0xFEFF).u16(uid).u16(mid);
    }

    static byte[] smb1NegotiateRequest(String... dialects) {
        W data = new W();
        for (String d : dialects) {
            data.u8(2).bytes(d.getBytes(StandardCharsets.US_ASCII)).u8(0);
        }
        byte[] b = data.get();
        return smb1Header(0x72, false, 0xC853, 0, 0, 0, 1).u8(0).u16(b.length).bytes(b).get();
    }

    /**
     * SESSION_SETUP_ANDX (extended security, NTLMSSP blob) chained to TREE_CONNECT_ANDX (path), Unicode: the AndX
     * chain Windows XP sends.
     */
    static byte[] smb1SessionSetupAndTreeConnect(byte[] blob, String path) {
        W w = smb1Header(0x73, false, 0xC807, 0, 0, 0, 2);
        // session setup: 12 words; AndXOffset patched below
        int wordsAt = w.size() + 1;
        w.u8(12).u8(0x75).u8(0).u16(0).u16(4356).u16(10).u16(0).u32(0).u16(blob.length).u32(0).u32(0x800000D4L);
        w.u16(blob.length).bytes(blob);
        int andxAt = w.size();
        byte[] p = utf16(path + "\0");
        byte[] service = "?????\0".getBytes(StandardCharsets.US_ASCII);
        int pad = ((andxAt + 1 + 8 + 2 + 1) & 1) == 1 ? 1 : 0; // password is 1 byte, then Unicode alignment
        w.u8(4).u8(0xFF).u8(0).u16(0).u16(0).u16(1).u16(1 + pad + p.length + service.length)
            .u8(0).zeros(pad).bytes(p).bytes(service);
        byte[] b = w.get();
        b[wordsAt + 2] = (byte) andxAt;
        b[wordsAt + 3] = (byte) (andxAt >> 8);
        return b;
    }
}
