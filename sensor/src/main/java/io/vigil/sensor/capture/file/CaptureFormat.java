package io.vigil.sensor.capture.file;

/** Container format of a capture file, detected from its first four bytes. */
public enum CaptureFormat {
    PCAP,
    PCAPNG
}
