package io.brook.metadata;

/**
 * The first record a new controller writes: from this offset on, {@code controllerId} in
 * {@code epoch} is the controller. Epochs only go up; brokers refuse metadata from an older one.
 */
public record ControllerEpoch(int controllerId, int epoch) implements MetadataRecord {

    public ControllerEpoch {
        RecordChecks.nodeId(controllerId, "controllerId");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, was " + epoch);
        }
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.CONTROLLER_EPOCH;
    }
}
