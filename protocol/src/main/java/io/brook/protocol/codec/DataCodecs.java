package io.brook.protocol.codec;

import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.ReplicaFetchRequest;
import io.brook.protocol.message.ReplicaFetchResponse;

/** The binary codecs of the data path. Field order here is the wire format in docs/PROTOCOL.md. */
final class DataCodecs {
  private DataCodecs() {}

  static final class ProduceRequestCodec extends BinaryCodec<ProduceRequest> {
    ProduceRequestCodec() {
      super(ProduceRequest.class, 1);
    }

    @Override
    void write(WireWriter out, ProduceRequest m) {
      out.writeString(m.topic()).writeInt(m.partition()).writeShort(m.acks()).writeInt(m.timeoutMs())
          .writeBytes(m.records());
    }

    @Override
    ProduceRequest read(WireReader in) {
      return new ProduceRequest(in.readString(), in.readInt(), in.readShort(), in.readInt(), in.readBytes());
    }
  }

  static final class ProduceResponseCodec extends BinaryCodec<ProduceResponse> {
    ProduceResponseCodec() {
      super(ProduceResponse.class, 1);
    }

    @Override
    void write(WireWriter out, ProduceResponse m) {
      out.writeLong(m.baseOffset()).writeLong(m.logAppendTimeMs()).writeLong(m.logStartOffset());
    }

    @Override
    ProduceResponse read(WireReader in) {
      return new ProduceResponse(in.readLong(), in.readLong(), in.readLong());
    }
  }

  static final class FetchRequestCodec extends BinaryCodec<FetchRequest> {
    FetchRequestCodec() {
      super(FetchRequest.class, 1);
    }

    @Override
    void write(WireWriter out, FetchRequest m) {
      out.writeString(m.topic()).writeInt(m.partition()).writeLong(m.fetchOffset()).writeInt(m.maxBytes())
          .writeInt(m.minBytes()).writeInt(m.maxWaitMs()).writeInt(m.replicaId()).writeInt(m.currentLeaderEpoch());
    }

    @Override
    FetchRequest read(WireReader in) {
      return new FetchRequest(in.readString(), in.readInt(), in.readLong(), in.readInt(), in.readInt(),
          in.readInt(), in.readInt(), in.readInt());
    }
  }

  static final class FetchResponseCodec extends BinaryCodec<FetchResponse> {
    FetchResponseCodec() {
      super(FetchResponse.class, 1);
    }

    @Override
    void write(WireWriter out, FetchResponse m) {
      out.writeLong(m.highWatermark()).writeLong(m.logStartOffset()).writeLong(m.logEndOffset())
          .writeBytes(m.records());
    }

    @Override
    FetchResponse read(WireReader in) {
      return new FetchResponse(in.readLong(), in.readLong(), in.readLong(), in.readBytes());
    }
  }

  /** Version 2 added the follower's log start offset; version 1 (without it) is still read, as unknown. */
  static final class ReplicaFetchRequestCodec extends BinaryCodec<ReplicaFetchRequest> {
    ReplicaFetchRequestCodec() {
      super(ReplicaFetchRequest.class, 2, 1);
    }

    @Override
    void write(WireWriter out, ReplicaFetchRequest m) {
      out.writeString(m.topic()).writeInt(m.partition()).writeInt(m.replicaId()).writeInt(m.currentLeaderEpoch())
          .writeLong(m.fetchOffset()).writeInt(m.lastFetchedEpoch()).writeInt(m.maxBytes()).writeInt(m.maxWaitMs())
          .writeLong(m.logStartOffset());
    }

    @Override
    ReplicaFetchRequest read(WireReader in) {
      return read(in, (byte) 2);
    }

    @Override
    ReplicaFetchRequest read(WireReader in, byte found) {
      return new ReplicaFetchRequest(in.readString(), in.readInt(), in.readInt(), in.readInt(), in.readLong(),
          in.readInt(), in.readInt(), in.readInt(), found >= 2 ? in.readLong() : ReplicaFetchRequest.UNKNOWN_LOG_START);
    }
  }

  static final class ReplicaFetchResponseCodec extends BinaryCodec<ReplicaFetchResponse> {
    ReplicaFetchResponseCodec() {
      super(ReplicaFetchResponse.class, 1);
    }

    @Override
    void write(WireWriter out, ReplicaFetchResponse m) {
      out.writeShort(m.errorCode()).writeLong(m.highWatermark()).writeLong(m.logStartOffset()).writeLong(m.logEndOffset())
          .writeInt(m.divergingEpoch()).writeLong(m.divergingEndOffset()).writeBytes(m.records());
    }

    @Override
    ReplicaFetchResponse read(WireReader in) {
      return new ReplicaFetchResponse(in.readShort(), in.readLong(), in.readLong(), in.readLong(), in.readInt(),
          in.readLong(), in.readBytes());
    }
  }
}
