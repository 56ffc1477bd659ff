package io.vigil.sensor.simulate;

import java.util.SplittableRandom;

/**
 * An OPC UA client session over one TCP connection. With SecurityPolicy None every message is a recorded Milo
 * encoding ({@link OpcUaRecorded}) with this session's channel id, authentication token, sequence numbers and
 * request ids patched in. With Basic256Sha256 (SignAndEncrypt) the UA TCP and security headers are real and the
 * encrypted part is opaque bytes of the right block size, as a sensor without the keys sees it.
 */
final class OpcUaSession {
    private static final byte[] RECORDED_CHANNEL = Bytes.hex("3a1f2848");
    private static final byte[] RECORDED_TOKEN =
        Bytes.hex("7225e24086a9493bcc3687dbf9b7b424a61eb0503236e114be6a39b22fd1d419");
    private static final String POLICY_BASIC256SHA256 = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256";
    private static final byte[] OPEN_NONE = Bytes.hex(
        "4f504e4684000000000000002f000000687474703a2f2f6f7063666f756e646174696f6e2e6f72672f55412f5365637572"
            + "697479506f6c696379234e6f6e65ffffffffffffffff01000000010000000100be0100005c61c448fc7cdd01000000000000"
            + "0000ffffffff10270000000000000000000000000001000000ffffffff80ee3600");
    private static final byte[] OPEN_NONE_RESPONSE = Bytes.hex(
        "4f504e46870000003a1f28482f000000687474703a2f2f6f7063666f756e646174696f6e2e6f72672f55412f5365637572"
            + "697479506f6c696379234e6f6e65ffffffffffffffff01000000010000000100c1015f12c548fc7cdd010000000000000000"
            + "00ffffffff000000000000003a1f2848010000005b11c548fc7cdd0180ee3600ffffffff");

    private static final byte[] CLOSE_NONE = Bytes.hex(
        "434c4f46390000003a1f2848010000000e0000000e0000000100c4010000b47b4349fc7cdd010000000000000000ffffffff"
            + "00000000000000");

    final TcpFlow flow;
    final boolean secure;
    private final SplittableRandom random;
    private final String endpoint;
    private final byte[] channel = new byte[4];
    private final byte[] token = new byte[32];
    private int tokenId = 1;
    private long clientSequence = 1;
    private long serverSequence = 1;
    private long requestId = 1;

    OpcUaSession(TcpFlow flow, boolean secure, SplittableRandom random, String endpoint) {
        this.flow = flow;
        this.secure = secure;
        this.random = random;
        this.endpoint = endpoint;
        for (int i = 0; i < 4; i++) {
            channel[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < 32; i++) {
            token[i] = (byte) random.nextInt(256);
        }
    }

    /** TCP handshake, HEL/ACK, OpenSecureChannel, CreateSession, ActivateSession. Returns the time of the last packet. */
    long open(long t) {
        long at = flow.open(t);
        byte[] url = Bytes.text(endpoint);
        byte[] hel = new Bytes().ascii("HELF").u32le(32 + url.length).u32le(0).u32le(65_535).u32le(65_535)
            .u32le(2_097_152).u32le(0).u32le(url.length).bytes(url).toArray();
        byte[] ack = Bytes.hex("41434b461c00000000000000ffff0000ffff00000000200040000000");
        at = flow.exchange(at + 300, hel, 150, ack);
        if (secure) {
            at = flow.exchange(at + 300, asymmetric(true), 4_000, asymmetric(false));
        } else {
            at = flow.exchange(at + 300, patch(OPEN_NONE), 900, patch(OPEN_NONE_RESPONSE));
        }
        at = call(at + 500, OpcUaRecorded.CREATE_SESSION, 2_500, OpcUaRecorded.CREATE_SESSION_RESPONSE);
        return call(at + 500, OpcUaRecorded.ACTIVATE_SESSION, 1_800, OpcUaRecorded.ACTIVATE_SESSION_RESPONSE);
    }

    long read(long t) {
        return call(t, OpcUaRecorded.READ, 400, OpcUaRecorded.READ_RESPONSE);
    }

    long browse(long t) {
        return call(t, OpcUaRecorded.BROWSE, 600, OpcUaRecorded.BROWSE_RESPONSE);
    }

    long subscribe(long t) {
        long at = call(t, OpcUaRecorded.CREATE_SUBSCRIPTION, 500, OpcUaRecorded.CREATE_SUBSCRIPTION_RESPONSE);
        return call(at + 300, OpcUaRecorded.CREATE_MONITORED_ITEMS, 700, OpcUaRecorded.CREATE_MONITORED_ITEMS_RESPONSE);
    }

    long publish(long t) {
        return call(t, OpcUaRecorded.PUBLISH, 300, OpcUaRecorded.PUBLISH_RESPONSE);
    }

    long write(long t) {
        return call(t, OpcUaRecorded.WRITE, 600, OpcUaRecorded.WRITE_RESPONSE);
    }

    long methodCall(long t) {
        return call(t, OpcUaRecorded.CALL, 800, OpcUaRecorded.CALL_RESPONSE);
    }

    /** CloseSession, CloseSecureChannel, FIN. */
    long close(long t) {
        long at = call(t, OpcUaRecorded.CLOSE_SESSION, 300, OpcUaRecorded.CLOSE_SESSION_RESPONSE);
        byte[] clo;
        if (secure) {
            clo = new Bytes().ascii("CLOF").u32le(16 + 64).bytes(channel).u32le(tokenId).random(random, 64).toArray();
        } else {
            clo = patch(CLOSE_NONE);
            Bytes.put32le(clo, 16, clientSequence++);
            Bytes.put32le(clo, 20, requestId++);
        }
        at = flow.send(at + 200, true, clo);
        return flow.close(at + 300, true);
    }

    private long call(long t, byte[] request, long think, byte[] response) {
        byte[] req = secure ? symmetric(request.length) : patch(request);
        byte[] res = secure ? symmetric(response.length) : patch(response);
        if (!secure) {
            Bytes.put32le(req, 16, clientSequence);
            Bytes.put32le(req, 20, requestId);
            Bytes.put32le(res, 16, serverSequence);
            Bytes.put32le(res, 20, requestId);
        }
        clientSequence++;
        serverSequence++;
        requestId++;
        return flow.exchange(t, req, think, res);
    }

    /** A recorded chunk with this session's channel id and authentication token. */
    private byte[] patch(byte[] recorded) {
        byte[] b = recorded.clone();
        replace(b, RECORDED_CHANNEL, channel);
        replace(b, RECORDED_TOKEN, token);
        return b;
    }

    private static void replace(byte[] b, byte[] from, byte[] to) {
        outer:
        for (int i = 0; i + from.length <= b.length; i++) {
            for (int k = 0; k < from.length; k++) {
                if (b[i + k] != from[k]) {
                    continue outer;
                }
            }
            System.arraycopy(to, 0, b, i, to.length);
            i += from.length - 1;
        }
    }

    /** OPN with the asymmetric security header in clear and two RSA-2048 blocks of ciphertext. */
    private byte[] asymmetric(boolean request) {
        byte[] uri = Bytes.text(POLICY_BASIC256SHA256);
        Bytes b = new Bytes().ascii("OPNF").u32le(0).bytes(request ? new byte[4] : channel)
            .u32le(uri.length).bytes(uri);
        int certLength = 1_024 + random.nextInt(64);
        b.u32le(certLength).u8(0x30).u8(0x82).u16(certLength - 4).random(random, certLength - 4);
        b.u32le(20).random(random, 20);
        b.random(random, 512);
        byte[] chunk = b.toArray();
        Bytes.put32le(chunk, 4, chunk.length);
        return chunk;
    }

    /** MSG with the symmetric security header (channel, token) and AES-CBC ciphertext plus an HMAC-SHA256. */
    private byte[] symmetric(int plainLength) {
        int cipher = ((plainLength - 16 + 15) / 16) * 16 + 32;
        byte[] chunk = new Bytes().ascii("MSGF").u32le(16 + cipher).bytes(channel).u32le(tokenId)
            .random(random, cipher).toArray();
        return chunk;
    }
}
