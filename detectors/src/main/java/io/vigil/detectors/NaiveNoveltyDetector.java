package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKind;

/**
 * The baseline that calibration is measured against: alerts on every feature value a device never
 * showed while learning, however often that device produces new values of the kind. Not part of
 * the product's detector set; {@code vigil evaluate} runs it side by side to show what the
 * per-device novelty rates buy.
 */
public final class NaiveNoveltyDetector implements Detector {
    @Override
    public void inspect(Detection d) {
        for (int i = 0; i < d.novelties; i++) {
            Device device = d.noveltyDevice[i];
            FeatureKind kind = d.noveltyKind[i];
            String cause = "naive|" + kind.ordinal() + "|" + device.id() + "|" + d.noveltyKey[i];
            d.alerted(i);
            if (d.known(cause)) {
                continue;
            }
            AlertType type = typeOf(kind);
            String explanation = Roles.of(device) + " " + device.ip() + " showed a "
                + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " value never seen while learning.";
            d.raise(type, cause, type.baseSeverity(), 50, 50, explanation, device,
                Summaries.ipProtocol(d.observation().ipProto), null);
        }
    }

    private static AlertType typeOf(FeatureKind kind) {
        return switch (kind) {
            case PEER_AS_CLIENT, PEER_AS_SERVER -> AlertType.NEW_PEER;
            case SERVICE_SERVED, SERVICE_USED -> AlertType.NEW_SERVICE;
            case AI_SERVICE -> AlertType.SHADOW_AI;
            case OPCUA_NONE_CLIENT -> AlertType.INSECURE_SESSION;
            case ARP_MAC -> AlertType.ARP_SPOOFING;
            default -> AlertType.NEW_INDUSTRIAL_OPERATION;
        };
    }
}
