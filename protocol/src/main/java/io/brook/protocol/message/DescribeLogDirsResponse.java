package io.brook.protocol.message;

import java.util.List;

/**
 * One entry per log directory of the broker asked (Brook has one, {@code data.dir}): its absolute path,
 * an error name or null, its file system's total and usable bytes (-1 when unknown), and each hosted
 * partition asked for (internal topics never) with its bytes on disk and its offset lag: 0 on the leader,
 * on a follower how far its log end is behind the leader's high watermark as last heard.
 */
public record DescribeLogDirsResponse(List<LogDir> logDirs) {

  public record LogDir(String path, String error, long totalBytes, long usableBytes, List<PartitionSize> partitions) {}

  public record PartitionSize(String topic, int partition, long sizeBytes, long offsetLag) {}
}
