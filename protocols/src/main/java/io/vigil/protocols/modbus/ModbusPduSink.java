package io.vigil.protocols.modbus;

/**
 * Receives each ADU the parser completes. The {@link ModbusPdu} is the parser's caller-owned
 * flyweight: it is overwritten by the next ADU, so a sink copies what it wants to keep.
 */
@FunctionalInterface
public interface ModbusPduSink {
    void onPdu(ModbusPdu pdu);
}
