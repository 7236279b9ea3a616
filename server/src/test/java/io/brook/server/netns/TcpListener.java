package io.brook.server.netns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * {@code TcpListener HOST PORT}: accepts connections on HOST:PORT and closes each at once, until killed.
 * {@link NetnsHostTest} runs one inside each namespace to see which addresses can reach which.
 */
public final class TcpListener {
  private TcpListener() {}

  public static void main(String[] args) throws IOException {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
      System.out.println("listening on " + args[0] + ":" + args[1]);
      System.out.flush();
      while (true) {
        try (Socket socket = server.accept()) {
          socket.getOutputStream().flush();
        }
      }
    }
  }
}
