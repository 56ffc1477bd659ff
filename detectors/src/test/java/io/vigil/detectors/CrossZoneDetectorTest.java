package io.vigil.detectors;

import static io.vigil.detectors.Site.HOUR;
import static io.vigil.detectors.Site.MINUTE;
import static io.vigil.detectors.Site.SECOND;
import static io.vigil.detectors.Site.T0;
import static io.vigil.detectors.Site.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An OT subnet (10.30.0.0/24: HMI, PLC and a Linux gateway) and an IT subnet (10.10.1.0/24); the
 * historian in IT reads the gateway every minute while learning.
 */
class CrossZoneDetectorTest {
    private static final int HMI = ip(10, 30, 0, 5);
    private static final int PLC = ip(10, 30, 0, 11);
    private static final int GATEWAY = ip(10, 30, 0, 1);
    private static final int HISTORIAN = ip(10, 10, 1, 40);
    private static final int LAPTOP = ip(10, 10, 1, 77);
    private static final int ENGINEERING = ip(10, 30, 0, 50);

    private final OtZones zones = new OtZones();
    private final Site site = new Site(HOUR, new CrossZoneDetector(zones));

    private long learn() {
        site.flow(T0, HMI, PLC, 502);
        for (int m = 0; m < 60; m++) {
            long t = T0 + m * MINUTE;
            site.modbus(t + SECOND, HMI, PLC, 3, 0);
            site.flow(t + 2 * SECOND, HISTORIAN, GATEWAY, 443);
            site.flow(t + 3 * SECOND, LAPTOP, HISTORIAN, 443);
        }
        return T0 + HOUR + MINUTE;
    }

    @Test
    void aLaptopReachingThePlcIsTheFirstCrossZonePath() {
        long t = learn();
        site.flow(t, LAPTOP, PLC, 502);
        site.flow(t + SECOND, LAPTOP, PLC, 502);
        Alert a = site.only(AlertType.CROSS_ZONE_PATH);
        assertEquals(t, a.firstSeenNanos(), "at its first packet");
        assertEquals("PLC 10.30.0.11 in OT subnet 10.30.0.0/24 got a first tcp/502 connection from 10.10.1.77 in the "
            + "IT zone (10.10.1.0/24, no industrial traffic while learning); in 1 h it had 1 internal client, not this "
            + "one.", a.explanation());
        assertEquals(2, a.count());
    }

    @Test
    void anyDeviceOfAnOtSubnetIsInTheOtZone() {
        long t = learn();
        site.flow(t, LAPTOP, GATEWAY, 22);
        assertEquals(List.of(AlertType.CROSS_ZONE_PATH), site.types());
    }

    @Test
    void aClientSweepingTheOtSubnetIsOnePathWithACount() {
        long t = learn();
        site.flow(t, LAPTOP, PLC, 502);
        site.flow(t + SECOND, LAPTOP, GATEWAY, 22);
        Alert a = site.only(AlertType.CROSS_ZONE_PATH);
        assertEquals(2, a.count(), "the gateway is the same IT-to-OT path, counted");
        assertEquals(2, a.evidence().size());
    }

    /**
     * An MES in the IT server subnet reads the OPC UA server in OT: OPC UA is the protocol IT uses
     * to reach OT, so the MES's subnet stays IT, and a workstation's first NTP query to the server
     * next to it is no cross-zone path (while the MES reaching a PLC still is).
     */
    @Test
    void anOpcUaClientDoesNotMakeItsSubnetOt() {
        int mes = ip(10, 10, 2, 17);
        int ntp = ip(10, 10, 2, 15);
        int opcuaServer = ip(10, 30, 0, 20);
        site.flow(T0, mes, opcuaServer, 4840);
        for (int m = 0; m < 60; m++) {
            site.opcuaRead(T0 + m * MINUTE + SECOND, mes, opcuaServer);
        }
        long t = learn();
        site.flow(t, LAPTOP, ntp, 123);
        assertEquals(List.of(), site.types(), site.describe());
        site.flow(t + SECOND, mes, PLC, 502);
        assertEquals(List.of(AlertType.CROSS_ZONE_PATH), site.types(), site.describe());
    }

    @Test
    void learnedPathsAndPathsInsideOrOutOfOtRaiseNothing() {
        long t = learn();
        site.flow(t, HISTORIAN, GATEWAY, 443); // learned, another port would be the same client
        site.flow(t, HISTORIAN, GATEWAY, 22);
        site.flow(t, ENGINEERING, PLC, 502); // inside the OT zone
        site.flow(t, PLC, LAPTOP, 443); // from OT to IT
        site.flow(t, LAPTOP, ip(8, 8, 8, 8), 53); // to the internet
        site.flow(t, ip(198, 51, 100, 7), PLC, 502); // from outside: not the IT zone (other detectors judge it)
        assertEquals(List.of(), site.types(), site.describe());
    }
}
