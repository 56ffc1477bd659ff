package io.vigil.protocols.bacnet;

import static io.vigil.protocols.bacnet.BacnetFrames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BacnetTagReaderTest {
    private final BacnetTagReader t = new BacnetTagReader();

    @Test
    void primitiveAndExtendedForms() {
        byte[] b = hex("2105");
        assertTrue(t.read(b, 0, b.length));
        assertEquals(BacnetTagReader.APPLICATION, t.kind);
        assertEquals(2, t.tagNumber);
        assertEquals(1, t.length);
        assertEquals(2, t.next);

        b = hex("f91405"); // context tag 20 via the extended tag number octet
        assertTrue(t.read(b, 0, b.length));
        assertEquals(BacnetTagReader.CONTEXT, t.kind);
        assertEquals(20, t.tagNumber);
        assertEquals(2, t.valueOffset);

        b = hex("65fe012c");
        assertFalse(t.read(b, 0, b.length), "300 octets announced, none present");
        byte[] big = new byte[4 + 300];
        System.arraycopy(b, 0, big, 0, 4);
        assertTrue(t.read(big, 0, big.length));
        assertEquals(300, t.length);
        assertEquals(4, t.valueOffset);

        byte[] huge = new byte[6 + 70000];
        System.arraycopy(hex("65ff00011170"), 0, huge, 0, 6);
        assertTrue(t.read(huge, 0, huge.length));
        assertEquals(70000, t.length);
        assertFalse(t.read(hex("65ffffffffff"), 0, 6), "4 GiB length");

        b = hex("3e3f");
        assertTrue(t.read(b, 0, 2));
        assertEquals(BacnetTagReader.OPENING, t.kind);
        assertTrue(t.read(b, 1, 2));
        assertEquals(BacnetTagReader.CLOSING, t.kind);
        assertEquals(3, t.tagNumber);

        b = hex("11");
        assertTrue(t.read(b, 0, 1));
        assertEquals(1, t.lvt);
        assertEquals(0, t.length);

        assertFalse(t.read(hex("f0ff"), 0, 2), "extended tag number 255 is reserved");
        assertFalse(t.read(hex("f0"), 0, 1));
        assertFalse(t.read(hex("2105"), 0, 1));
        assertFalse(t.read(hex("2105"), 2, 2));
    }

    @Test
    void integers() {
        byte[] b = hex("ff7f0001");
        assertEquals(-1, BacnetTagReader.signed(b, 0, 1));
        assertEquals(-129, BacnetTagReader.signed(b, 0, 2));
        assertEquals(0xff7f, BacnetTagReader.unsigned(b, 0, 2));
        assertEquals(0x7f0001, BacnetTagReader.signed(b, 1, 3));
    }
}
