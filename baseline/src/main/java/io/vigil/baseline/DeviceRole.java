package io.vigil.baseline;

import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.observe.IcsOp;

/**
 * What a device is for, inferred from what it serves, what it uses and what it asks of others.
 * First match wins, in declaration order: a PLC that also answers DNS is a PLC.
 */
public enum DeviceRole {
    ROUTER("router"),
    PLC("PLC"),
    BACNET_CONTROLLER("BACnet controller"),
    OPCUA_SERVER("OPC UA server"),
    ENGINEERING_WORKSTATION("engineering workstation"),
    HMI_SCADA("HMI/SCADA"),
    BACNET_WORKSTATION("BACnet workstation"),
    OPCUA_CLIENT("OPC UA client"),
    DNS_SERVER("DNS server"),
    FILE_SERVER("file server"),
    WEB_SERVER("web server"),
    CAMERA_IOT("camera/IoT"),
    WORKSTATION("workstation"),
    UNKNOWN("device");

    /** Devices sharing one MAC before that MAC is taken to be a router's (routed traffic carries its MAC). */
    public static final int ROUTER_MIN_ADDRESSES = 4;

    private static final AppProtocol[] CONTROL_SERVED = {AppProtocol.MODBUS, AppProtocol.S7COMM, AppProtocol.DNP3,
        AppProtocol.ENIP, AppProtocol.IEC104};

    private final String text;

    DeviceRole(String text) {
        this.text = text;
    }

    /** "PLC", "HMI/SCADA": how alerts and the inventory name it. */
    public String text() {
        return text;
    }

    /**
     * @param addressesOnMac how many devices of the table share this device's first MAC (1 when
     *                       only itself; see {@link #ROUTER_MIN_ADDRESSES})
     */
    public static DeviceRole infer(Device d, int addressesOnMac) {
        if (addressesOnMac >= ROUTER_MIN_ADDRESSES && d.arpClaims() > 0) {
            return ROUTER;
        }
        for (AppProtocol p : CONTROL_SERVED) {
            if (d.serves(p)) {
                return PLC;
            }
        }
        PeerOperations issued = d.model().operationsIssuedIfAny();
        int kindsIssued = 0;
        if (issued != null) {
            for (int i = 0; i < issued.size(); i++) {
                kindsIssued |= issued.kinds(i);
            }
        }
        boolean issuesBacnet = d.uses(AppProtocol.BACNET) && (kindsIssued & ~(1 << IcsOp.KIND_DIAGNOSTIC)) != 0;
        if (d.serves(AppProtocol.BACNET) && !issuesBacnet) {
            return BACNET_CONTROLLER;
        }
        if (d.serves(AppProtocol.OPCUA)) {
            return OPCUA_SERVER;
        }
        if ((kindsIssued & 1 << IcsOp.KIND_PROGRAM) != 0) {
            return ENGINEERING_WORKSTATION;
        }
        for (AppProtocol p : CONTROL_SERVED) {
            if (d.uses(p)) {
                return HMI_SCADA;
            }
        }
        if (issuesBacnet) {
            return BACNET_WORKSTATION;
        }
        if (d.uses(AppProtocol.OPCUA)) {
            return OPCUA_CLIENT;
        }
        FeatureSet served = d.model().featuresIfAny(FeatureKind.SERVICE_SERVED);
        if (d.serves(AppProtocol.DNS) && (serves(served, DecodedPacket.PROTO_UDP, 53)
            || serves(served, DecodedPacket.PROTO_TCP, 53))) {
            return DNS_SERVER;
        }
        if (d.serves(AppProtocol.SMB) || serves(served, DecodedPacket.PROTO_TCP, 445)
            || serves(served, DecodedPacket.PROTO_TCP, 2049)) {
            return FILE_SERVER;
        }
        if (d.serves(AppProtocol.HTTP) || d.serves(AppProtocol.TLS)) {
            return WEB_SERVER;
        }
        if (serves(served, DecodedPacket.PROTO_TCP, 554) || d.uses(AppProtocol.MQTT)) {
            return CAMERA_IOT;
        }
        if (d.uses(AppProtocol.DNS) || d.uses(AppProtocol.HTTP) || d.uses(AppProtocol.TLS)) {
            return WORKSTATION;
        }
        return UNKNOWN;
    }

    private static boolean serves(FeatureSet served, int ipProto, int port) {
        return served != null && served.contains(FeatureKeys.service(ipProto, port));
    }
}
