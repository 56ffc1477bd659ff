package io.vigil.sensor.simulate;

/** One simulated device: its address, its MAC (a vendor OUI plus seeded low bits) and what it is. */
record Host(String name, int ip, long mac, String role) {
    String address() {
        return Network.toString(ip);
    }
}
