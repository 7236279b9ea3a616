package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Responses ready together become one write: their bytes joined, file regions kept in their place. */
class ResponseFrameTest {
  @TempDir
  Path dir;

  /** A response: some bytes, then (when a file is given) a region of it. */
  private static Send send(String bytes, FileChannel file, long count) {
    return new Send() {
      private boolean done;

      @Override
      public boolean completed() {
        return done;
      }

      @Override
      public long writeTo(TransferableChannel channel) throws IOException {
        long written = channel.write(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.US_ASCII)));
        if (file != null) {
          written += channel.transferFrom(file, 0, count);
        }
        done = true;
        return written;
      }

      @Override
      public long size() {
        return bytes.length() + count;
      }
    };
  }

  private static String text(Object part) {
    ByteBuf buf = (ByteBuf) part;
    return buf.toString(buf.readerIndex(), buf.readableBytes(), StandardCharsets.US_ASCII);
  }

  @Test
  void responsesOfBytesOnlyBecomeOneBufferInOrder() throws IOException {
    ResponseFrame batch = ResponseFrame.of(send("first;", null, 0))
        .then(ResponseFrame.of(send("second;", null, 0)))
        .then(ResponseFrame.of(send("third", null, 0)));

    List<Object> parts = batch.parts();
    assertThat(parts).hasSize(1);
    assertThat(text(parts.get(0))).isEqualTo("first;second;third");
  }

  @Test
  void aFileRegionKeepsItsPlaceBetweenTheBytesAroundIt() throws IOException {
    Path segment = dir.resolve("segment");
    Files.writeString(segment, "records");
    try (FileChannel file = FileChannel.open(segment, StandardOpenOption.READ)) {
      ResponseFrame batch = ResponseFrame.of(send("head;", file, 7))
          .then(ResponseFrame.of(send("next;", null, 0)))
          .then(ResponseFrame.of(send("last", null, 0)));

      List<Object> parts = batch.parts();
      assertThat(parts).hasSize(3);
      assertThat(text(parts.get(0))).isEqualTo("head;");
      assertThat(parts.get(1)).isInstanceOfSatisfying(FileRegion.class, region -> assertThat(region.count()).isEqualTo(7));
      assertThat(text(parts.get(2))).isEqualTo("next;last");
    }
  }
}
