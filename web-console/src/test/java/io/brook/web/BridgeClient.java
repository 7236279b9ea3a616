package io.brook.web;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A blocking raw bridge client for tests: 4-byte length + JSON frames over a real socket. */
final class BridgeClient implements AutoCloseable {
  final Socket socket;
  private final DataOutputStream out;
  private final DataInputStream in;

  BridgeClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000); // a missing answer fails the test instead of hanging it
    socket.setTcpNoDelay(true);
    out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
  }

  void write(JsonObject frame) throws IOException {
    writeFrame(frame.encode().getBytes(StandardCharsets.UTF_8));
  }

  void writeFrame(byte[] payload) throws IOException {
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame, or null when the server closed the connection. */
  JsonObject read() throws IOException {
    try {
      int length = in.readInt();
      byte[] json = new byte[length];
      in.readFully(json);
      return new JsonObject(new String(json, StandardCharsets.UTF_8));
    } catch (EOFException | SocketException closed) {
      return null;
    }
  }

  JsonObject request(String address, String replyAddress, Object body) throws IOException {
    write(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
        .put("body", body));
    return read();
  }

  /** Pings and reads up to the pong, answering whether the connection still serves. */
  boolean pings() throws IOException {
    write(new JsonObject().put("type", "ping"));
    for (JsonObject frame = read(); frame != null; frame = read()) {
      if ("pong".equals(frame.getString("type"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
