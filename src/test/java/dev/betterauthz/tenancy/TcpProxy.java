package dev.betterauthz.tenancy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder in front of a real service, so a test can take the service "down"
 * ({@link #stop()}: cut every connection and close new ones at once), make it "slow" ({@link
 * #blackhole}: accept and never answer) and bring it back ({@link #start()}). The listening port
 * (chosen by the OS) stays bound for the proxy's life, so nothing else can take it meanwhile.
 */
public final class TcpProxy implements AutoCloseable {
  private enum Mode {
    FORWARD,
    REJECT,
    BLACKHOLE
  }

  private final String targetHost;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;
  private volatile Mode mode = Mode.FORWARD;

  public TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** Binds on first call; afterwards forwards again after {@link #stop()}. */
  public synchronized TcpProxy start() throws IOException {
    mode = Mode.FORWARD;
    if (server == null) {
      ServerSocket socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      server = socket;
      Thread accept = new Thread(() -> acceptLoop(socket), "proxy-accept-" + socket.getLocalPort());
      accept.setDaemon(true);
      accept.start();
    }
    return this;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Accept new connections but never forward or answer them. */
  public void blackhole(boolean value) {
    mode = value ? Mode.BLACKHOLE : Mode.FORWARD;
  }

  /** Cuts every open connection; new ones are closed as soon as they are accepted. */
  public synchronized void stop() throws IOException {
    mode = Mode.REJECT;
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }

  private void acceptLoop(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        switch (mode) {
          case REJECT -> client.close();
          case BLACKHOLE -> open.add(client);
          case FORWARD -> forward(client);
        }
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  private void forward(Socket client) throws IOException {
    open.add(client);
    Socket upstream = new Socket(targetHost, targetPort);
    open.add(upstream);
    pipe(client, upstream);
    pipe(upstream, client);
  }

  private void pipe(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // connection cut: both sides are closed below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public synchronized void close() throws IOException {
    stop();
    server.close();
  }
}
