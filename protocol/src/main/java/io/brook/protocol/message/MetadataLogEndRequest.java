package io.brook.protocol.message;

/** A new controller asks each broker where its copy of the metadata log ends (internal). */
public record MetadataLogEndRequest(long controllerEpoch) {}
