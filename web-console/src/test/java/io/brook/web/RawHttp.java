package io.brook.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** Hand-written HTTP/1.1 over a real socket, for requests no well-behaved client library would send. */
final class RawHttp {
  private RawHttp() {}

  /** Sends {@code request} as is (the caller writes the headers), reads until the server closes (a refusal, HTTP/1.0, or a timeout). */
  static String exchange(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return readAll(socket.getInputStream());
    }
  }

  static String exchange(int port, String request) throws IOException {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The status code of a raw response, or -1 when the server answered nothing. */
  static int status(String response) {
    while (response.startsWith("HTTP/1.") && response.charAt(9) == '1') { // skip "100 Continue"
      int end = response.indexOf("\r\n\r\n");
      response = end < 0 ? "" : response.substring(end + 4);
    }
    if (!response.startsWith("HTTP/1.")) {
      return -1;
    }
    return Integer.parseInt(response.substring(9, 12));
  }

  /** Reads to the end of the answer; an event stream (which has no end) up to the end of its head. */
  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        // (after a "100 Continue" head, if any)
        String text = out.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        int eventStream = text.indexOf("content-type: text/event-stream");
        if (eventStream > 0 && text.indexOf("\r\n\r\n", eventStream) > 0) {
          break;
        }
      }
    } catch (SocketException reset) {
      // what arrived before the reset is the answer
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
