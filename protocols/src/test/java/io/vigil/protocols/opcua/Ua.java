package io.vigil.protocols.opcua;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds OPC UA binary messages (Part 6 encoding, little-endian) for tests. */
final class Ua {
    static final String NONE = "http://opcfoundation.org/UA/SecurityPolicy#None";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Ua body() {
        return new Ua();
    }

    Ua u8(int v) {
        out.write(v);
        return this;
    }

    Ua u16(int v) {
        return u8(v).u8(v >>> 8);
    }

    Ua u32(long v) {
        return u16((int) v & 0xFFFF).u16((int) (v >>> 16) & 0xFFFF);
    }

    Ua i64(long v) {
        return u32(v & 0xFFFFFFFFL).u32(v >>> 32);
    }

    Ua dbl(double d) {
        return i64(Double.doubleToRawLongBits(d));
    }

    Ua str(String s) {
        if (s == null) {
            return u32(0xFFFFFFFFL);
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    Ua raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** Four-byte NodeId when it fits, numeric otherwise. */
    Ua node(int ns, long id) {
        if (ns == 0 && id < 256) {
            return u8(0).u8((int) id);
        }
        if (ns < 256 && id < 65536) {
            return u8(1).u8(ns).u16((int) id);
        }
        return u8(2).u16(ns).u32(id);
    }

    Ua node(int ns, String s) {
        return u8(3).u16(ns).str(s);
    }

    Ua service(int id) {
        return u8(1).u8(0).u16(id);
    }

    Ua requestHeader(long handle) {
        return node(0, 0).i64(133_000_000_000_000_000L).u32(handle).u32(0).str(null).u32(10_000).node(0, 0).u8(0);
    }

    Ua responseHeader(long handle, long status) {
        return i64(133_000_000_000_000_000L).u32(handle).u32(status).u8(0).u32(0xFFFFFFFFL).node(0, 0).u8(0);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** UA TCP header + payload. */
    static byte[] chunk(String type, char chunk, byte[] payload) {
        Ua u = new Ua();
        u.raw(type.getBytes(StandardCharsets.US_ASCII)).u8(chunk).u32(8 + payload.length).raw(payload);
        return u.bytes();
    }

    static byte[] hel(String url) {
        return chunk("HEL", 'F', body().u32(0).u32(65536).u32(65536).u32(0).u32(0).str(url).bytes());
    }

    static byte[] ack() {
        return chunk("ACK", 'F', body().u32(0).u32(65536).u32(65535).u32(2097152).u32(64).bytes());
    }

    static byte[] err(long code, String reason) {
        return chunk("ERR", 'F', body().u32(code).str(reason).bytes());
    }

    static byte[] opnRequest(long scid, long rqid, int mode) {
        byte[] b = body().u32(scid).str(NONE).str(null).str(null).u32(rqid).u32(rqid)
            .service(446).requestHeader(0).u32(0).u32(0).u32(mode).str("").u32(600_000).bytes();
        return chunk("OPN", 'F', b);
    }

    static byte[] opnResponse(long scid, long rqid, long token) {
        byte[] b = body().u32(scid).str(NONE).str(null).str(null).u32(rqid).u32(rqid)
            .service(449).responseHeader(0, 0).u32(0).u32(scid).u32(token).i64(0).u32(600_000).str("").bytes();
        return chunk("OPN", 'F', b);
    }

    static byte[] msg(char chunk, long scid, long token, long seq, long rqid, byte[] body) {
        return chunk("MSG", chunk, body().u32(scid).u32(token).u32(seq).u32(rqid).raw(body).bytes());
    }

    static byte[] msg(long scid, long rqid, byte[] body) {
        return msg('F', scid, 1, rqid, rqid, body);
    }

    static byte[] readRequest() {
        return body().service(631).requestHeader(1).dbl(0).u32(2).u32(2)
            .node(0, 2258).u32(13).str(null).u16(0).str(null)
            .node(2, "Temperature").u32(13).str(null).u16(0).str(null).bytes();
    }

    static byte[] readResponse() {
        return body().service(634).responseHeader(1, 0).u32(2)
            .u8(0x05).u8(11).dbl(21.5).i64(1)
            .u8(0x02).u32(0x80340000L)
            .u32(0xFFFFFFFFL).bytes();
    }

    static byte[] writeRequest() {
        return body().service(673).requestHeader(2).u32(1)
            .node(2, "Setpoint").u32(13).str(null).u8(0x01).u8(11).dbl(42.5).bytes();
    }

    static byte[] writeResponse() {
        return body().service(676).responseHeader(2, 0).u32(1).u32(0x803B0000L).u32(0xFFFFFFFFL).bytes();
    }

    static byte[] callRequest() {
        return body().service(712).requestHeader(3).u32(1).node(2, 5).node(2, 6).u32(1).u8(6).u32(7).bytes();
    }

    static byte[] callResponse() {
        return body().service(715).responseHeader(3, 0).u32(1).u32(0).u32(0).u32(0).u32(1).u8(1).u8(1)
            .u32(0xFFFFFFFFL).bytes();
    }

    static byte[] browseRequest() {
        return body().service(527).requestHeader(4).node(0, 0).i64(0).u32(0).u32(0).u32(2)
            .node(0, 85).u32(0).node(0, 33).u8(1).u32(0).u32(0x3F)
            .node(0, 84).u32(0).node(0, 33).u8(1).u32(0).u32(0x3F).bytes();
    }

    static byte[] serviceFault(long status) {
        return body().service(397).responseHeader(9, status).bytes();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.write(p, 0, p.length);
        }
        return o.toByteArray();
    }
}
