package io.vigil.baseline;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.modbus.ModbusDeviceId;
import io.vigil.protocols.observe.DnsOp;
import io.vigil.protocols.observe.NamedOp;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.snmp.SnmpMessage;

/**
 * What application observations say about who a device is: which protocols it serves and
 * uses, its host name (DHCP, mDNS/LLMNR, DNS answers), its BACnet identity, and the weaknesses
 * its traffic shows. Part of the shard's {@link DeviceInventory}; the devices passed in are the
 * ones this shard owns (null otherwise).
 */
public final class DeviceIdentity {
    private static final int MDNS_PORT = 5353;
    private static final int LLMNR_PORT = 5355;
    private static final int DNS_PORT = 53;
    private static final int TLS_1_2 = 0x0303;

    void onApp(Observation o, Device src, Device dst, DeviceTable table) {
        AppProtocol p = o.appProtocol;
        boolean srcServes = sourceIsServer(o);
        Device server = srcServes ? src : dst;
        Device client = srcServes ? dst : src;
        if (server != null) {
            server.served(p);
            if (isControlProtocol(p)) {
                server.risk(DeviceRisk.CLEARTEXT_CONTROL);
            }
        }
        if (client != null) {
            client.used(p);
        }
        switch (o.type) {
            case BACNET_OP:
                if (src != null && o.bacnet.deviceInstance >= 0 && o.bacnet.apduType == BacnetPdu.UNCONFIRMED_REQUEST) {
                    src.bacnetIdentity(o.bacnet.deviceInstance, o.bacnet.vendorId);
                }
                break;
            case OPCUA_OP:
                if (o.opcua.securityPolicy == OpcUaMessage.POLICY_NONE) {
                    risk(src, dst, DeviceRisk.OPCUA_NO_SECURITY);
                }
                if (dst != null && o.opcua.endpointUrlLength > 0) {
                    dst.opcuaEndpoint(o.opcua.endpointUrlText()); // a Hello names the server it opens
                }
                break;
            case SMB_MESSAGE:
                // A multi-protocol NEGOTIATE is sent as SMB1 by modern clients too; an SMB1 answer is the old server.
                if (src != null && o.named.flag && o.named.version == 0x0100) {
                    src.risk(DeviceRisk.OLD_SMB);
                }
                break;
            case MODBUS_OP:
                if (src != null && o.modbus.isResponse && o.modbus.hasDeviceId) {
                    ModbusDeviceId id = o.modbus.deviceId;
                    src.modbusIdentity(id.text(0), id.text(1), id.text(2));
                }
                break;
            case SNMP_MESSAGE:
                if (o.named.version != SnmpMessage.V3) {
                    risk(src, dst, DeviceRisk.SNMP_COMMUNITY);
                    if (o.named.flag) {
                        risk(src, dst, DeviceRisk.SNMP_DEFAULT_COMMUNITY);
                    }
                }
                break;
            case TLS_HELLO:
                // The ServerHello says what was negotiated; an old version is weak at both ends.
                if (o.named.code == 2 && o.named.version > 0 && o.named.version < TLS_1_2) {
                    risk(src, dst, DeviceRisk.OLD_TLS);
                }
                break;
            case HTTP_MESSAGE:
                if (!o.named.flag && src != null) {
                    src.risk(DeviceRisk.HTTP_CLEARTEXT);
                }
                break;
            case DHCP_MESSAGE:
                dhcpName(o, src, table);
                break;
            case NETBIOS_NAME:
                netbiosName(o, table);
                break;
            case DNS_QUERY:
                dnsNames(o, src, table);
                break;
            default:
                break;
        }
    }

    private static void risk(Device a, Device b, DeviceRisk r) {
        if (a != null) {
            a.risk(r);
        }
        if (b != null) {
            b.risk(r);
        }
    }

    /** Industrial protocols with neither authentication nor encryption in the versions decoded here. */
    static boolean isControlProtocol(AppProtocol p) {
        switch (p) {
            case MODBUS: case BACNET: case DNP3: case S7COMM: case ENIP: case IEC104:
                return true;
            default:
                return false;
        }
    }

    /** Which end of an application PDU is the server: the registered port first, then what the PDU says. */
    public static boolean sourceIsServer(Observation o) {
        int port = o.appProtocol.port();
        if (o.srcPort == port && o.dstPort != port) {
            return true;
        }
        if (o.dstPort == port && o.srcPort != port) {
            return false;
        }
        switch (o.type) {
            case MODBUS_OP:
                return o.modbus.isResponse;
            case DNS_QUERY:
                return o.dns.isResponse;
            case BACNET_OP: {
                int t = o.bacnet.apduType;
                if (t == BacnetPdu.CONFIRMED_REQUEST) {
                    return false;
                }
                // Unconfirmed: I-Am, I-Have and notifications come from the device; Who-Is/Who-Has from a client.
                return t != BacnetPdu.UNCONFIRMED_REQUEST || (o.bacnet.serviceChoice != 7 && o.bacnet.serviceChoice != 8);
            }
            case TLS_HELLO:
                return o.named.code == 2;
            case HTTP_MESSAGE:
                return !o.named.flag;
            case DNP3_OP: case S7COMM_OP: case ENIP_OP: case IEC104_OP:
                return o.ics.isResponse;
            default:
                return false;
        }
    }

    private static void dhcpName(Observation o, Device src, DeviceTable table) {
        NamedOp n = o.named;
        if (n.nameLength == 0) {
            return;
        }
        Device d = src;
        if (d == null && n.address != 0) {
            // A client asking for its address still has none: the requested one names it.
            d = table.find(o.vlan, IpAddresses.V4_MAPPED_HI, IpAddresses.v4MappedLo(n.address));
        }
        if (d != null) {
            d.name(n.name, n.nameLength, "dhcp");
        }
    }

    /**
     * A registration, refresh or positive answer states which address holds a workstation (0x00) or
     * file-server (0x20) name; group and domain names (0x1B-0x1E) say nothing of one host.
     */
    private static void netbiosName(Observation o, DeviceTable table) {
        NamedOp n = o.named;
        if (n.mac != 1 || (n.number != 0x00 && n.number != 0x20) || n.address == 0) {
            return;
        }
        Device d = table.find(o.vlan, IpAddresses.V4_MAPPED_HI, IpAddresses.v4MappedLo(n.address));
        if (d != null) {
            d.name(n.name, n.nameLength, "netbios");
        }
    }

    private static void dnsNames(Observation o, Device src, DeviceTable table) {
        DnsOp dns = o.dns;
        if (!dns.isResponse || dns.qnameLength == 0 || dns.rcode != 0) {
            return;
        }
        if ((o.srcPort == MDNS_PORT || o.srcPort == LLMNR_PORT) && src != null) {
            // A host answering for its own name.
            src.name(dns.qname, dns.qnameLength, "mdns");
            return;
        }
        if (o.srcPort != DNS_PORT) {
            return;
        }
        for (int i = 0; i < dns.addressCount; i++) {
            Device named = table.find(o.vlan, dns.addressHi[i], dns.addressLo[i]);
            if (named == null && o.vlan != 0) {
                named = table.find(0, dns.addressHi[i], dns.addressLo[i]);
            }
            if (named != null) {
                named.name(dns.qname, dns.qnameLength, "dns");
            }
        }
    }
}
