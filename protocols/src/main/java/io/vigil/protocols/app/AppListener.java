package io.vigil.protocols.app;

import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.dhcp.DhcpMessage;
import io.vigil.protocols.dnp3.Dnp3Message;
import io.vigil.protocols.dns.DnsMessage;
import io.vigil.protocols.enip.EnipMessage;
import io.vigil.protocols.http.HttpMessage;
import io.vigil.protocols.iec104.Iec104Apdu;
import io.vigil.protocols.modbus.ModbusPdu;
import io.vigil.protocols.mqtt.MqttMessage;
import io.vigil.protocols.ntp.NtpMessage;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.s7comm.S7Message;
import io.vigil.protocols.smb.SmbMessage;
import io.vigil.protocols.snmp.SnmpMessage;
import io.vigil.protocols.ssh.SshBanner;
import io.vigil.protocols.tls.TlsHello;

/**
 * Receives every application PDU the app layer decodes. {@code packet} is the packet that
 * completed the PDU: its addresses and ports are the PDU's sender and receiver, its frame number
 * and timestamp the PDU's. Both objects are flyweights, overwritten by the next call.
 */
public interface AppListener {
    void onModbus(DecodedPacket packet, int flowSlot, ModbusPdu pdu);

    void onBacnet(DecodedPacket packet, int flowSlot, BacnetPdu pdu);

    void onDns(DecodedPacket packet, int flowSlot, DnsMessage message);

    void onOpcUa(DecodedPacket packet, int flowSlot, OpcUaMessage message);

    void onTls(DecodedPacket packet, int flowSlot, TlsHello hello);

    /** A cleartext TLS heartbeat; see {@link io.vigil.protocols.tls.TlsHelloSink#onHeartbeat}. */
    default void onTlsHeartbeat(DecodedPacket packet, int flowSlot, boolean fromClient, int type, int payloadLength,
                                int recordLength, boolean overflows) {
    }

    void onHttp(DecodedPacket packet, int flowSlot, HttpMessage message);

    void onSsh(DecodedPacket packet, int flowSlot, SshBanner banner);

    void onDhcp(DecodedPacket packet, int flowSlot, DhcpMessage message);

    default void onNbns(DecodedPacket packet, int flowSlot, io.vigil.protocols.nbns.NbnsMessage message) {
    }

    void onNtp(DecodedPacket packet, int flowSlot, NtpMessage message);

    void onSnmp(DecodedPacket packet, int flowSlot, SnmpMessage message);

    /** EtherNet/IP encapsulation messages (TCP/UDP 44818) and implicit I/O datagrams (UDP 2222). */
    void onEnip(DecodedPacket packet, int flowSlot, EnipMessage message);

    /** A COTP connection PDU or a complete COTP data unit (S7comm, S7comm-plus or other) on an ISO-on-TCP flow. */
    void onS7comm(DecodedPacket packet, int flowSlot, S7Message message);

    void onIec104(DecodedPacket packet, int flowSlot, Iec104Apdu apdu);

    void onMqtt(DecodedPacket packet, int flowSlot, MqttMessage message);

    /** One SMB message; each element of an SMB2 compound chain is its own call. */
    void onSmb(DecodedPacket packet, int flowSlot, SmbMessage message);

    /**
     * A DNP3 link frame; {@link Dnp3Message#hasApplication} when its transport segment completed an
     * application fragment, which is then decoded in the same message.
     */
    void onDnp3(DecodedPacket packet, int flowSlot, Dnp3Message message);

    /**
     * Traffic on a protocol's registered port that does not parse as that protocol: reported once
     * per flow, since something speaking another language on port 502 is itself a signal.
     */
    void onProtocolMismatch(DecodedPacket packet, int flowSlot, AppProtocol expected);
}
