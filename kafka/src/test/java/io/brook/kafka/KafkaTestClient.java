package io.brook.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/** A blocking Kafka client over one socket: frames out, frames in. */
final class KafkaTestClient implements AutoCloseable {
  private final Socket socket;
  private final DataOutputStream out;
  private final DataInputStream in;

  KafkaTestClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  AbstractResponse call(AbstractRequest request, int correlationId) throws IOException {
    write(request, correlationId);
    return read(request, correlationId);
  }

  void write(AbstractRequest request, int correlationId) throws IOException {
    ByteBuffer body = request.serializeWithHeader(header(request, correlationId));
    byte[] bytes = new byte[body.remaining()];
    body.get(bytes);
    send(bytes);
  }

  AbstractResponse read(AbstractRequest request, int correlationId) throws IOException {
    return AbstractResponse.parseResponse(receive(), header(request, correlationId));
  }

  private static RequestHeader header(AbstractRequest request, int correlationId) {
    return new RequestHeader(request.apiKey(), request.version(), "brook-test", correlationId);
  }

  void send(byte[] frame) throws IOException {
    out.writeInt(frame.length);
    out.write(frame);
    out.flush();
  }

  void rawWrite(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  ByteBuffer receive() throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return ByteBuffer.wrap(frame);
  }

  /** True once the server closed the connection (end of stream or reset), within the socket timeout. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (EOFException | SocketException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
