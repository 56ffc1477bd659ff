package io.vigil.sensor.cli;

import static io.vigil.sensor.TestSupport.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What devices say about themselves reaches the inventory: a Modbus Read Device Identification
 * response (FC 43/14) names the PLC's vendor, product code and revision; an OPC UA client's Hello
 * names the server's endpoint URL. In `vigil devices --json` and in its table.
 */
class IndustrialIdentityTest {
    @Test
    void modbusDeviceIdentificationNamesThePlc() {
        Path capture = TestSupport.sharedPcaps().resolve("modbus/icsnpp_modbus_example.pcap");
        assumeTrue(Files.exists(capture), "shared corpus absent: skipping");
        CliResult json = vigil("devices", "--json", capture.toString());
        assertEquals(0, json.exitCode(), json.err());
        String plc = json.out().lines().filter(l -> l.contains("\"id\":\"127.0.0.1\"")).findFirst().orElseThrow();
        // As tshark decodes the response's objects 0, 1 and 2 (modbus.object_str_value).
        assertTrue(plc.contains("\"modbus\":{\"vendor\":\"Zeek Modbus Test\",\"product_code\":\"Protocol Parsing is fun!\","
            + "\"revision\":\"1.2.3.6\"}"), plc);
        CliResult table = vigil("devices", capture.toString());
        assertTrue(table.out().contains("Zeek Modbus Test Protocol Parsing is fun! 1.2.3.6"), table.out());
    }

    @Test
    void anOpcUaHelloNamesTheServersEndpoint() {
        Path capture = TestSupport.repoRoot().resolve("pcaps/realstack/milo-opcua-14840.pcap");
        CliResult json = vigil("devices", "--json", capture.toString());
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"opcua\":{\"endpoint_url\":\"opc.tcp://127.0.0.1:14840/vigil\"}"), json.out());
    }

    /** Risk notes come from the same traffic: an impacket SMB1 server is old SMB, its SMB2 twin is not. */
    @Test
    void anSmb1ServerCarriesTheOldSmbRisk() {
        Path realstack = TestSupport.repoRoot().resolve("pcaps/realstack");
        CliResult smb1 = vigil("devices", "--json", realstack.resolve("impacket-smb1.pcap").toString());
        assertTrue(smb1.out().contains("{\"id\":\"old_smb\""), smb1.out());
        CliResult smb2 = vigil("devices", "--json", realstack.resolve("impacket-smb2.pcap").toString());
        assertEquals(0, smb2.exitCode(), smb2.err());
        assertTrue(!smb2.out().contains("old_smb"), smb2.out());
    }
}
