package io.vigil.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OuiTableTest {
    @Test
    void findsVendorsOfIndustrialAndItEquipment() {
        OuiTable t = OuiTable.get();
        assertTrue(t.size() > 30_000, "size " + t.size());
        assertEquals("Rockwell Automation", t.vendor(0x0861_9512_3456L));
        assertEquals("Siemens AG", t.vendor(0x001B_1B00_0001L));
        assertEquals("TELEMECANIQUE ELECTRIQUE", t.vendor(0x0080_F400_0001L)); // a Schneider brand
        assertTrue(t.vendor(0xF4BD_9E00_0001L).startsWith("Cisco Systems"));
    }

    @Test
    void noVendorForUnknownLocalOrZero() {
        OuiTable t = OuiTable.get();
        assertNull(t.vendor(0));
        assertNull(t.vendor(0x0242_AC11_0002L), "locally administered (Docker)");
        assertNull(t.vendor(0xFFFF_FF00_0000L));
    }
}
