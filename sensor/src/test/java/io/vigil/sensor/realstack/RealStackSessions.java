package io.vigil.sensor.realstack;

import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.util.BitVector;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scripted sessions of real protocol stacks behind the realstack captures, each returning the
 * decode it must produce: one map per application PDU, in wire order, built only from what the
 * stack calls were asked and returned (Modbus, j2mod) or from the values encoded (BACnet/IP,
 * hand-built from ASHRAE 135 encodings and exchanged over real UDP sockets). A null value means
 * "the message carries no such field": the decode must print null or leave it out.
 */
final class RealStackSessions {
    static final int UNIT = 1;
    static final int BACNET_DEVICE_PORT = 47808;
    static final int BACNET_CLIENT_PORT = 47809;
    static final int DEVICE_INSTANCE = 1234;
    static final int VENDOR_ID = 260;

    private RealStackSessions() {
    }

    // ------------------------------------------------------------------ Modbus/TCP (j2mod)

    /**
     * Starts a j2mod TCP slave on 127.0.0.1:{@code port}, runs the scripted master session against
     * it, closes both and returns the expected decode. Deterministic: a fresh process image each time.
     */
    static List<Map<String, Object>> modbusSession(int port) throws Exception {
        SimpleProcessImage spi = new SimpleProcessImage(UNIT);
        for (int i = 0; i < 16; i++) {
            spi.addDigitalOut(new SimpleDigitalOut(i % 3 == 0));
            spi.addDigitalIn(new SimpleDigitalIn(i % 2 == 1 || i == 4));
        }
        for (int i = 0; i < 20; i++) {
            spi.addRegister(new SimpleRegister(1000 + 7 * i));
        }
        for (int i = 0; i < 10; i++) {
            spi.addInputRegister(new SimpleInputRegister(500 + 3 * i));
        }
        ModbusLog log = new ModbusLog(port);
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
        try {
            slave.addProcessImage(UNIT, spi);
            slave.open();
            ModbusTCPMaster m = new ModbusTCPMaster("127.0.0.1", port);
            m.setTimeout(3000);
            m.connect();
            try {
                // FC1 read coils
                log.request(1, 0, 10, null);
                log.response(1, 0, 10, bits(m.readCoils(UNIT, 0, 10)));
                // FC2 read discrete inputs
                log.request(2, 0, 12, null);
                log.response(2, 0, 12, bits(m.readInputDiscretes(UNIT, 0, 12)));
                // FC3 read holding registers
                log.request(3, 0, 10, null);
                log.response(3, 0, 10, words(m.readMultipleRegisters(UNIT, 0, 10)));
                // FC4 read input registers
                log.request(4, 2, 6, null);
                log.response(4, 2, 6, words(m.readInputRegisters(UNIT, 2, 6)));
                // FC5 write single coil 4 (OFF in the image) ON: the standard encodes ON as 0xFF00, OFF as 0x0000
                log.request(5, 4, 1, List.of(0xFF00L));
                boolean coil = m.writeCoil(UNIT, 4, true);
                log.response(5, 4, 1, List.of(coil ? 0xFF00L : 0L));
                // FC6 write single register: the response echoes the value
                log.request(6, 5, 1, List.of(4242L));
                int echoed = m.writeSingleRegister(UNIT, 5, new SimpleRegister(4242));
                log.response(6, 5, 1, List.of((long) echoed));
                // FC15 write multiple coils
                boolean[] pattern = {true, false, true, true, false, true};
                BitVector bv = new BitVector(pattern.length);
                List<Long> patternValues = new ArrayList<>();
                for (int i = 0; i < pattern.length; i++) {
                    bv.setBit(i, pattern[i]);
                    patternValues.add(pattern[i] ? 1L : 0L);
                }
                log.request(15, 8, pattern.length, patternValues);
                m.writeMultipleCoils(UNIT, 8, bv);
                log.response(15, 8, pattern.length, null); // a normal response echoes address and quantity
                // FC16 write multiple registers: the response carries the quantity written
                int[] regs = {100, 200, 300, 400};
                Register[] r = new Register[regs.length];
                List<Long> regValues = new ArrayList<>();
                for (int i = 0; i < regs.length; i++) {
                    r[i] = new SimpleRegister(regs[i]);
                    regValues.add((long) regs[i]);
                }
                log.request(16, 10, regs.length, regValues);
                int written = m.writeMultipleRegisters(UNIT, 10, r);
                log.response(16, 10, written, null);
                // A read beyond the process image (20 holding registers): exception
                log.request(3, 100, 2, null);
                try {
                    m.readMultipleRegisters(UNIT, 100, 2);
                    throw new IllegalStateException("j2mod slave answered a read beyond its process image");
                } catch (ModbusSlaveException e) {
                    log.exception(3, e.getType());
                }
                // Repeated polls: they must show the writes above
                for (int i = 0; i < 3; i++) {
                    log.request(3, 0, 14, null);
                    log.response(3, 0, 14, words(m.readMultipleRegisters(UNIT, 0, 14)));
                }
                log.request(1, 0, 16, null);
                log.response(1, 0, 16, bits(m.readCoils(UNIT, 0, 16)));
            } finally {
                m.disconnect();
            }
            Thread.sleep(200); // let the slave see the FIN and close its side
        } finally {
            slave.close();
            ModbusSlaveFactory.close();
        }
        return log.lines;
    }

    private static List<Long> bits(BitVector v) {
        List<Long> l = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            l.add(v.getBit(i) ? 1L : 0L);
        }
        return l;
    }

    private static List<Long> words(InputRegister[] regs) {
        List<Long> l = new ArrayList<>();
        for (InputRegister r : regs) {
            l.add((long) r.toUnsignedShort());
        }
        return l;
    }

    /** Expected decode lines of one Modbus session. */
    private static final class ModbusLog {
        final List<Map<String, Object>> lines = new ArrayList<>();
        final int serverPort;

        ModbusLog(int serverPort) {
            this.serverPort = serverPort;
        }

        void request(int fc, int ref, int count, List<Long> values) {
            lines.add(line(false, fc, ref, count, values, null));
        }

        void response(int fc, int ref, int count, List<Long> values) {
            lines.add(line(true, fc, ref, count, values, null));
        }

        void exception(int fc, int code) {
            lines.add(line(true, fc, null, null, null, code));
        }

        private Map<String, Object> line(boolean response, int fc, Integer ref, Integer count, List<Long> values,
                                         Integer exception) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("proto", "modbus");
            m.put(response ? "src_port" : "dst_port", serverPort);
            m.put("unit_id", UNIT);
            m.put("func_code", fc);
            m.put("is_response", response);
            m.put("exception_code", exception);
            m.put("ref", ref);
            m.put("count", count);
            m.put("values", values);
            return m;
        }
    }

    // ------------------------------------------------------------------ BACnet/IP (UDP sockets)

    /**
     * A client socket on 47809 and a device socket on 47808 exchange Who-Is/I-Am, ReadProperty
     * with its Complex-ACK, WriteProperty, ReinitializeDevice and DeviceCommunicationControl with
     * their Simple-ACKs. Every datagram is sent, received by the peer and checked byte for byte.
     */
    static List<Map<String, Object>> bacnetSession() throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket device = new DatagramSocket(new InetSocketAddress(lo, BACNET_DEVICE_PORT));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, BACNET_CLIENT_PORT))) {
            device.setSoTimeout(5000);
            client.setSoTimeout(5000);

            // Who-Is (no range) and the device's I-Am
            send(client, device, unconfirmed(8, new byte[0]));
            lines.add(bacnet(false, "Unconfirmed-REQ", "who-Is", 8, null, null, null, null, null, null));
            byte[] iAm = concat(appObjectId(8, DEVICE_INSTANCE), appUnsigned(1476), appEnumerated(3),
                appUnsigned(VENDOR_ID));
            send(device, client, unconfirmed(0, iAm));
            Map<String, Object> iAmLine = bacnet(true, "Unconfirmed-REQ", "i-Am", 0, null, "device",
                DEVICE_INSTANCE, null, null, null);
            iAmLine.put("vendor_id", VENDOR_ID);
            lines.add(iAmLine);

            // ReadProperty analog-input 1 present-value -> Complex-ACK REAL 42.0
            int invoke = 1;
            byte[] rp = concat(ctxObjectId(0, 0, 1), ctxUnsigned(1, 85));
            send(client, device, confirmed(invoke, 12, rp));
            lines.add(bacnet(false, "Confirmed-REQ", "readProperty", 12, invoke, "analog-input", 1, "present-value",
                null, null));
            send(device, client, complexAck(invoke, 12, concat(rp, opening(3), appReal(42.0f), closing(3))));
            lines.add(bacnet(true, "ComplexACK", "readProperty", 12, invoke, "analog-input", 1, "present-value",
                42.0, null));

            // WriteProperty analog-value 1 present-value 100.0 priority 8 -> Simple-ACK
            invoke = 2;
            send(client, device, confirmed(invoke, 15, concat(ctxObjectId(0, 2, 1), ctxUnsigned(1, 85),
                opening(3), appReal(100.0f), closing(3), ctxUnsigned(4, 8))));
            lines.add(bacnet(false, "Confirmed-REQ", "writeProperty", 15, invoke, "analog-value", 1, "present-value",
                100.0, 8));
            send(device, client, simpleAck(invoke, 15));
            lines.add(bacnet(true, "SimpleACK", "writeProperty", 15, invoke, null, null, null, null, null));

            // ReinitializeDevice warmstart (BACnetReinitializedStateOfDevice 1) -> Simple-ACK
            invoke = 3;
            send(client, device, confirmed(invoke, 20, ctxUnsigned(0, 1)));
            lines.add(bacnet(false, "Confirmed-REQ", "reinitializeDevice", 20, invoke, null, null, null, null,
                null));
            send(device, client, simpleAck(invoke, 20));
            lines.add(bacnet(true, "SimpleACK", "reinitializeDevice", 20, invoke, null, null, null, null, null));

            // DeviceCommunicationControl: time-duration 5 minutes, enable-disable = disable (1) -> Simple-ACK
            invoke = 4;
            send(client, device, confirmed(invoke, 17, concat(ctxUnsigned(0, 5), ctxUnsigned(1, 1))));
            lines.add(bacnet(false, "Confirmed-REQ", "deviceCommunicationControl", 17, invoke, null, null, null,
                null, null));
            send(device, client, simpleAck(invoke, 17));
            lines.add(bacnet(true, "SimpleACK", "deviceCommunicationControl", 17, invoke, null, null, null, null,
                null));
        }
        return lines;
    }

    private static Map<String, Object> bacnet(boolean fromDevice, String apduType, String service, int choice,
                                              Integer invokeId, String objectType, Integer instance, String property,
                                              Double value, Integer priority) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proto", "bacnet");
        m.put("src_port", fromDevice ? BACNET_DEVICE_PORT : BACNET_CLIENT_PORT);
        m.put("dst_port", fromDevice ? BACNET_CLIENT_PORT : BACNET_DEVICE_PORT);
        m.put("bvlc_function", "Original-Unicast-NPDU");
        m.put("apdu_type", apduType);
        m.put("service", service);
        m.put("service_choice", choice);
        m.put("invoke_id", invokeId);
        m.put("object_type", objectType);
        m.put("instance", instance);
        m.put("property", property);
        m.put("value", value);
        m.put("priority", priority);
        return m;
    }

    private static void send(DatagramSocket from, DatagramSocket to, byte[] datagram) throws IOException {
        from.send(new DatagramPacket(datagram, datagram.length, to.getLocalAddress(), to.getLocalPort()));
        byte[] buf = new byte[1500];
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        to.receive(in);
        if (!Arrays.equals(datagram, Arrays.copyOf(buf, in.getLength())) || in.getPort() != from.getLocalPort()) {
            throw new IllegalStateException("BACnet datagram did not arrive intact from port " + from.getLocalPort());
        }
    }

    // BVLL (Annex J): type 0x81, function 0x0A Original-Unicast-NPDU, 16-bit length of the whole message.
    // NPDU (clause 6): version 1, control 0x04 (data expecting reply) for confirmed requests, else 0.
    private static byte[] bvll(boolean expectingReply, byte[] apdu) {
        byte[] npdu = {1, (byte) (expectingReply ? 0x04 : 0x00)};
        int len = 4 + npdu.length + apdu.length;
        return concat(new byte[] {(byte) 0x81, 0x0A, (byte) (len >> 8), (byte) len}, npdu, apdu);
    }

    private static byte[] unconfirmed(int service, byte[] body) {
        return bvll(false, concat(new byte[] {0x10, (byte) service}, body));
    }

    /** Confirmed-Request PDU (clause 20.1.2): no segmentation, max segments unspecified, max APDU 1476 (5). */
    private static byte[] confirmed(int invoke, int service, byte[] body) {
        return bvll(true, concat(new byte[] {0x00, 0x05, (byte) invoke, (byte) service}, body));
    }

    private static byte[] complexAck(int invoke, int service, byte[] body) {
        return bvll(false, concat(new byte[] {0x30, (byte) invoke, (byte) service}, body));
    }

    private static byte[] simpleAck(int invoke, int service) {
        return bvll(false, new byte[] {0x20, (byte) invoke, (byte) service});
    }

    private static int objectId(int type, int instance) {
        return type << 22 | instance;
    }

    private static byte[] appObjectId(int type, int instance) {
        return ByteBuffer.allocate(5).put((byte) 0xC4).putInt(objectId(type, instance)).array();
    }

    private static byte[] ctxObjectId(int tag, int type, int instance) {
        return ByteBuffer.allocate(5).put((byte) (tag << 4 | 0x08 | 4)).putInt(objectId(type, instance)).array();
    }

    private static byte[] appUnsigned(long v) {
        return tagged(2 << 4, v);
    }

    private static byte[] appEnumerated(long v) {
        return tagged(9 << 4, v);
    }

    private static byte[] ctxUnsigned(int tag, long v) {
        return tagged(tag << 4 | 0x08, v);
    }

    /** A tag with the minimal big-endian unsigned encoding of {@code v} (1..4 octets). */
    private static byte[] tagged(int tagBits, long v) {
        int n = v < 0x100 ? 1 : v < 0x10000 ? 2 : v < 0x1000000 ? 3 : 4;
        byte[] b = new byte[1 + n];
        b[0] = (byte) (tagBits | n);
        for (int i = 0; i < n; i++) {
            b[n - i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static byte[] appReal(float f) {
        return ByteBuffer.allocate(5).put((byte) 0x44).putFloat(f).array();
    }

    private static byte[] opening(int tag) {
        return new byte[] {(byte) (tag << 4 | 0x0E)};
    }

    private static byte[] closing(int tag) {
        return new byte[] {(byte) (tag << 4 | 0x0F)};
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
