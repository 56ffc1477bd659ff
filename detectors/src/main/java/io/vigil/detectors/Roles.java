package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.FeatureKind;
import io.vigil.baseline.FeatureSet;
import io.vigil.protocols.decode.DecodedPacket;

/** A device's role as alerts name it ("PLC 10.1.2.7"), inferred from the services it serves and the operations it issues. */
final class Roles {
    private Roles() {
    }

    static String of(Device d) {
        FeatureSet served = d.model().featuresIfAny(FeatureKind.SERVICE_SERVED);
        if (served != null) {
            if (served.contains(FeatureKeys.service(DecodedPacket.PROTO_TCP, 502))
                || served.contains(FeatureKeys.service(DecodedPacket.PROTO_TCP, 102))
                || served.contains(FeatureKeys.service(DecodedPacket.PROTO_TCP, 44818))
                || served.contains(FeatureKeys.service(DecodedPacket.PROTO_TCP, 20000))
                || served.contains(FeatureKeys.service(DecodedPacket.PROTO_TCP, 2404))) {
                return "PLC";
            }
            if (served.contains(FeatureKeys.service(DecodedPacket.PROTO_TCP, 4840))) {
                return "OPC UA server";
            }
        }
        FeatureSet issued = d.model().featuresIfAny(FeatureKind.OPERATION_ISSUED);
        if (issued != null && issued.size() > 0) {
            return "industrial master";
        }
        FeatureSet received = d.model().featuresIfAny(FeatureKind.OPERATION_RECEIVED);
        if (received != null && received.size() > 0) {
            return "field device";
        }
        return "device";
    }
}
