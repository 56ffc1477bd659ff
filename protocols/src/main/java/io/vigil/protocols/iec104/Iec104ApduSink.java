package io.vigil.protocols.iec104;

/**
 * Receives each APDU the parser completes. The {@link Iec104Apdu} is the caller-owned flyweight,
 * overwritten by the next APDU: a sink copies what it wants to keep.
 */
@FunctionalInterface
public interface Iec104ApduSink {
    void onApdu(Iec104Apdu apdu);
}
